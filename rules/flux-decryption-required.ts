import { qualified } from '../src/flux/describe.js';
import { asRecord, asString } from '../src/engine/values.js';
import { defineRule } from '../src/model/rule.js';

const FLUX = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: ssh://git@github.com/matta-kelly/h-kube
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./clusters/homelab
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: discord-webhook
  namespace: flux-system
stringData:
  address: ENC[AES256_GCM,data:7BOQ6XKh2LY4,iv:LFxzcSqM+8ZPLlJgtnGwB3f/1UoLrvyfAkGHAGZA1VI=,tag:2b5DC20SXHoij2rsp15ehA==,type:str]
sops:
  age:
    - recipient: age19w8z9jky0fc67wenrwn5an43w4amnqcz8r3ph6j55zps4q7pa4nqgf4t79
      enc: |
        -----BEGIN AGE ENCRYPTED FILE-----
        -----END AGE ENCRYPTED FILE-----
  lastmodified: "2025-02-09T21:03:44Z"
  mac: ENC[AES256_GCM,data:BThk3TKHEf,iv:tmTUFilznmU6qedcXWFJ7qdNqWJwpVrFivU8Kzd0HpQ=,tag:vECU1E51M3l2r6p8UNO1lg==,type:str]
  encrypted_regex: ^(data|stringData)$
  version: 3.9.4
`;

export default defineRule<'noDecryption' | 'wrongProvider'>({
  meta: {
    id: 'flux-decryption-required',
    description: 'Require Flux Kustomizations that apply SOPS-encrypted objects to decrypt them with sops',
    scope: 'cluster',
    category: 'correctness',
    defaultLevel: 'error',
    recommended: true,
    messages: {
      noDecryption:
        'This SOPS-encrypted {{kind}} is applied by Kustomization {{kustomization}}, which has no spec.decryption: Flux refuses it ("configuring decryption is required") and the whole Kustomization fails. Add decryption with provider: sops and a secretRef to the age key Secret to that Kustomization.',
      wrongProvider:
        'This SOPS-encrypted {{kind}} is applied by Kustomization {{kustomization}}, whose spec.decryption.provider is {{provider}}, not sops: nothing is decrypted and the Kustomization fails. Set provider: sops there.',
    },
    docs: {
      rationale:
        'kustomize-controller decrypts SOPS files only for Kustomizations with `spec.decryption.provider: sops`. Without it, an encrypted Secret reaches the apply stage with its `sops` block and ciphertexts, and reconciliation fails ("… is SOPS encrypted, configuring decryption is required for this secret to be reconciled"), taking every other object of the Kustomization with it. The rule finds every document with a top-level `sops` block in the build of each Flux Kustomization — across repositories, after resolving the GitRepository to a linted root — and reports it when that Kustomization does not decrypt. The finding sits on the encrypted object; the fix goes into the Kustomization named in the message.',
      incorrect: [{ title: 'An encrypted Secret under the bootstrap Kustomization', files: { 'clusters/homelab/flux-system/gotk-sync.yaml': FLUX, 'clusters/homelab/alerting-secret.yaml': SECRET } }],
      correct: [
        {
          files: {
            'clusters/homelab/flux-system/gotk-sync.yaml': FLUX.replace('  sourceRef:\n', '  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n  sourceRef:\n'),
            'clusters/homelab/alerting-secret.yaml': SECRET,
          },
        },
      ],
    },
  },
  check(ctx) {
    for (const kustomization of ctx.model.flux.kustomizations) {
      if (kustomization.decrypts) continue;
      const provider = asString(kustomization.resource.get(['spec', 'decryption', 'provider']));
      const name = qualified(kustomization.resource.appliedNamespace, kustomization.resource.name);
      for (const resource of kustomization.resources) {
        // Flux treats a document as encrypted when its top-level sops block has a MAC (reference §2.6).
        if (!resource.encrypted || !asString(asRecord(resource.value.sops)?.mac)) continue;
        if (provider === undefined) ctx.report({ resource, path: ['sops'], key: true, messageId: 'noDecryption', data: { kind: resource.kind, kustomization: name } });
        else ctx.report({ resource, path: ['sops'], key: true, messageId: 'wrongProvider', data: { kind: resource.kind, kustomization: name, provider } });
      }
    }
  },
});
