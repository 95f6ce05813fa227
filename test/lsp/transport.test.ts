import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// Issue 10, item 5: a frame whose Content-Length is wrong is answered with an error; the
// server then reads the next frame as usual. Raw bytes over the real server's stdio.
const BIN = path.resolve(import.meta.dirname, '../../bin/gitops-lint.js');

class RawClient {
  readonly child: ChildProcessWithoutNullStreams;
  private output = '';
  private waiters: Array<() => void> = [];

  constructor() {
    this.child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { stdio: 'pipe', env: { ...process.env, GITOPS_LINT_NO_CACHE: '1' } });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.output += chunk.toString('utf8');
      for (const waiter of this.waiters.splice(0)) waiter();
    });
  }

  send(bytes: string): void {
    this.child.stdin.write(bytes);
  }

  /** The next `count` JSON messages the server wrote (framed by Content-Length). */
  async messages(count: number): Promise<unknown[]> {
    for (;;) {
      const parsed = frames(this.output);
      if (parsed.length >= count) return parsed.slice(0, count);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

function frames(text: string): unknown[] {
  const out: unknown[] = [];
  let rest = Buffer.from(text, 'utf8');
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end === -1) return out;
    const length = Number(/Content-Length: (\d+)/i.exec(rest.subarray(0, end).toString())?.[1]);
    if (rest.length < end + 4 + length) return out;
    out.push(JSON.parse(rest.subarray(end + 4, end + 4 + length).toString('utf8')));
    rest = rest.subarray(end + 4 + length);
  }
}

const frame = (body: string, length = Buffer.byteLength(body)) => `Content-Length: ${length}\r\n\r\n${body}`;
const initialize = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

let client: RawClient | undefined;
afterEach(() => {
  client?.child.kill();
  client = undefined;
});

describe('LSP transport', () => {
  it('answers a frame whose Content-Length is too small with an error, then reads the next frame', async () => {
    client = new RawClient();
    client.send(frame(initialize(1), 20));
    client.send(frame(initialize(2)));
    const [error, answer] = await client.messages(2);
    // The id is in the part of the message past the 20 bytes: the request is answered.
    expect(error).toEqual({ jsonrpc: '2.0', id: 1, error: { code: -32700, message: 'Malformed message frame: The 20 bytes that Content-Length gives are not a JSON message; the length may be too small.' } });
    expect(answer).toMatchObject({ jsonrpc: '2.0', id: 2, result: { serverInfo: { name: 'gitops-lint' } } });
  });

  it('answers a frame whose Content-Length is too large with an error for its id', async () => {
    client = new RawClient();
    const body = initialize(7);
    client.send(frame(body, Buffer.byteLength(body) + 100));
    const [error] = await client.messages(1);
    expect(error).toEqual({ jsonrpc: '2.0', id: 7, error: { code: -32700, message: `Malformed message frame: Content-Length says ${Buffer.byteLength(body) + 100} bytes, but only ${Buffer.byteLength(body)} arrived.` } });
    client.send(frame(initialize(8)));
    expect((await client.messages(2))[1]).toMatchObject({ id: 8, result: { serverInfo: { name: 'gitops-lint' } } });
  });

  it('answers a too-large frame followed by another frame without waiting', async () => {
    client = new RawClient();
    const body = initialize(3);
    client.send(frame(body, Buffer.byteLength(body) + 500) + frame(initialize(4)));
    const [error, answer] = await client.messages(2);
    expect(error).toMatchObject({ id: 3, error: { code: -32700, message: `Malformed message frame: Content-Length says ${Buffer.byteLength(body) + 500} bytes, but the next frame starts after ${Buffer.byteLength(body)}.` } });
    expect(answer).toMatchObject({ id: 4, result: { serverInfo: { name: 'gitops-lint' } } });
  });
});
