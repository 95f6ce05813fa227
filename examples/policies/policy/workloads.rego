# Example team policies, conftest conventions (package main, deny/violation/warn rules).
# Build: node scripts/build-policies.mjs (runs `opa build -t wasm -e main ...`, see README).
package main

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet"}

containers contains container if {
	workload_kinds[input.kind]
	some container in input.spec.template.spec.containers
}

# A plain string result: reported on the object.
deny contains msg if {
	workload_kinds[input.kind]
	some i, container in input.spec.template.spec.containers
	not container.resources.limits.memory
	msg := {
		"msg": sprintf("%s %s: container %q has no memory limit.", [input.kind, input.metadata.name, container.name]),
		# A field path: reported on that node (the closest existing parent when it is missing).
		"details": {"path": sprintf("spec.template.spec.containers[%d].resources", [i])},
	}
}

# A rule with a suffix: its id is policy/main/deny_latest_tag, and exceptions can name it.
deny_latest_tag contains msg if {
	some container in containers
	endswith(container.image, ":latest")
	msg := sprintf("%s %s: image %q uses the mutable tag latest.", [input.kind, input.metadata.name, container.image])
}

# Images only from the registries listed in data.json.
violation_registry contains msg if {
	some container in containers
	not allowed_registry(container.image)
	msg := sprintf("%s %s: image %q is not from an allowed registry (%s).", [input.kind, input.metadata.name, container.image, concat(", ", data.registries)])
}

allowed_registry(image) if {
	some registry in data.registries
	startswith(image, registry)
}

warn contains msg if {
	input.kind == "HelmRelease"
	not input.spec.install.remediation
	msg := sprintf("HelmRelease %s: spec.install.remediation is not set.", [input.metadata.name])
}

# object.keys is not in the Wasm SDK: gitops-lint provides it.
warn_labels contains msg if {
	workload_kinds[input.kind]
	count(object.keys(object.get(input.metadata, "labels", {}))) == 0
	msg := sprintf("%s %s has no labels.", [input.kind, input.metadata.name])
}

# The debug toolbox may use :latest.
exception contains rules if {
	input.kind == "Deployment"
	input.metadata.name == "toolbox"
	rules := ["latest_tag"]
}
