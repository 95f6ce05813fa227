/**
 * The stdio transport of the language server: LSP base-protocol frames (`Content-Length`
 * headers, then a JSON body) read strictly enough that a frame whose `Content-Length` is wrong
 * gets an error answer instead of a hang. vscode-jsonrpc's own reader trusts the length: one too
 * large waits forever for bytes that never come, one too small fails on half a message and then
 * reads the other half as headers, and the client waits forever for its answer either way.
 */
import { AbstractMessageReader, StreamMessageWriter, type DataCallback, type Disposable, type Message, type MessageWriter } from 'vscode-languageserver/node';

/** How long an incomplete frame may wait for more bytes before it is answered as malformed. */
export const STALL_MS = 500;

/** JSON-RPC's code for a message that cannot be parsed. */
const PARSE_ERROR = -32700;

const HEADER_END = '\r\n\r\n';
/**
 * A header line. A raw line break cannot occur inside a JSON message (strings escape it), so
 * this never matches inside a body, even one whose text mentions `Content-Length:`.
 */
const HEADER_LINE = /content-(?:length|type):[^\r\n]*\r\n/i;

export class StrictMessageReader extends AbstractMessageReader {
  private buffer: Buffer = Buffer.alloc(0);
  private callback: DataCallback | undefined;
  private stall: NodeJS.Timeout | undefined;
  /** How far the body of the frame at the head of the buffer was searched for a next frame. */
  private searched = 0;

  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly writer: MessageWriter,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (chunk: Buffer): void => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.drain();
    };
    const onEnd = (): void => this.fireClose();
    const onError = (error: unknown): void => this.fireError(error);
    this.input.on('data', onData);
    this.input.on('end', onEnd);
    this.input.on('error', onError);
    return {
      dispose: () => {
        clearTimeout(this.stall);
        this.input.off('data', onData);
        this.input.off('end', onEnd);
        this.input.off('error', onError);
      },
    };
  }

  private drain(): void {
    clearTimeout(this.stall);
    this.stall = undefined;
    while (this.buffer.length > 0) {
      // Bytes before a header are the rest of a message cut short by a wrong length: skipped.
      const first = headerAt(this.buffer, 0, this.buffer.length);
      if (first === -1) return this.waitForMore(0);
      if (first > 0) this.consume(first);
      const headerEnd = this.buffer.indexOf(HEADER_END);
      if (headerEnd === -1) return this.waitForMore(0);
      const length = /^content-length:[ \t]*(\d+)[ \t]*$/im.exec(this.buffer.subarray(0, headerEnd).toString('ascii'));
      const start = headerEnd + HEADER_END.length;
      if (!length) {
        this.answer(this.buffer.subarray(start), 'The frame has no valid Content-Length header.');
        this.consume(start);
        continue;
      }
      const end = start + Number(length[1]);
      // Only bytes not searched before (a long message arrives in many chunks).
      const limit = Math.min(end, this.buffer.length);
      const next = headerAt(this.buffer, Math.max(start, this.searched - 64), limit);
      this.searched = limit;
      if (next !== -1) {
        // The next frame starts inside this one's declared body: the length is too large.
        this.malformed(this.buffer.subarray(start, next), `Content-Length says ${length[1]} bytes, but the next frame starts after ${next - start}.`);
        this.consume(next);
        continue;
      }
      if (this.buffer.length < end) return this.waitForMore(start, length[1]);
      const message = parse(this.buffer.subarray(start, end));
      if (message === undefined) {
        // The length is too small (or the body is not JSON): the message runs on to the next
        // frame, and its id (to answer) may be in that rest.
        const reason = `The ${length[1]} bytes that Content-Length gives are not a JSON message; the length may be too small.`;
        const after = headerAt(this.buffer, end, this.buffer.length);
        if (after === -1) return this.waitForMore(start, undefined, reason);
        this.malformed(this.buffer.subarray(start, after), reason);
        this.consume(after);
        continue;
      }
      this.consume(end);
      this.callback?.(message);
    }
  }

  private consume(bytes: number): void {
    this.buffer = this.buffer.subarray(bytes);
    this.searched = 0;
  }

  /**
   * An incomplete frame: more bytes may be on their way. When none come, what arrived is all
   * there is (the length was too large) and gets its answer.
   */
  private waitForMore(start: number, declared?: string, reason?: string): void {
    this.stall = setTimeout(() => {
      const body = this.buffer.subarray(start);
      this.consume(this.buffer.length);
      if (reason !== undefined) this.malformed(body, reason);
      else if (declared === undefined) this.answer(body, 'The input ended inside a frame header.');
      else this.malformed(body, `Content-Length says ${declared} bytes, but only ${body.length} arrived.`);
    }, STALL_MS);
  }

  private malformed(body: Buffer, reason: string): void {
    this.answer(body, `Malformed message frame: ${reason}`);
  }

  /** An error response, to the request's id when the bytes show one (so the client stops waiting). */
  private answer(body: Buffer, message: string): void {
    const id = /"id"\s*:\s*(\d+|"(?:[^"\\]|\\.)*")/.exec(body.toString('utf8'))?.[1];
    const error: Message & { id: number | string | null; error: { code: number; message: string } } = {
      jsonrpc: '2.0',
      id: id === undefined ? null : (JSON.parse(id) as number | string),
      error: { code: PARSE_ERROR, message },
    };
    void this.writer.write(error);
    this.fireError(new Error(message));
  }
}

/** Where the first header line in `buffer[from, to)` starts, or -1. */
function headerAt(buffer: Buffer, from: number, to: number): number {
  // Most frames start at once with their header: no need to read the whole buffer.
  if (from === 0 && HEADER_LINE.test(buffer.subarray(0, 256).toString('latin1')) && /^content-/i.test(buffer.subarray(0, 8).toString('latin1'))) return 0;
  const match = HEADER_LINE.exec(buffer.subarray(from, to).toString('latin1'));
  return match === null ? -1 : from + match.index;
}

function parse(body: Buffer): Message | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Message) : undefined;
  } catch {
    return undefined;
  }
}

/** Reader and writer over the process's stdin and stdout. */
export function stdioTransport(): { reader: StrictMessageReader; writer: StreamMessageWriter } {
  const writer = new StreamMessageWriter(process.stdout);
  return { reader: new StrictMessageReader(process.stdin, writer), writer };
}
