import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/**
 * The most characters of one piece of a scrape. V8 keeps a string of over 128 KB in its
 * large-object space, and on the 2-core development machine making one cost ~0.7 ms whatever it
 * held (a join of 125 KB took 87 µs, of 129 KB 714 µs); the busy replica's ~150 KB scrape, built
 * as one string, paid it when its lines were joined, again when Fastify counted its bytes (a
 * flattened copy) and again when the socket encoded it. Pieces this small never pay it
 * (characters, not bytes: a two-byte string fits too). List pages were tried the same way and
 * dropped: JSON.stringify makes their string once, and sending pieces cost more than it saved
 * (README "Metrics").
 */
export const MAX_PIECE_CHARS = 32 * 1024;

/** Below this many characters a scrape is sent as one string, as Fastify sends any other. */
const ONE_STRING_CHARS = 64 * 1024;

/** Text appended bit by bit and cut into pieces of at most MAX_PIECE_CHARS (a longer bit is a piece of its own). */
export class TextPieces {
  private readonly done: string[] = [];
  private current: string[] = [];
  private currentChars = 0;

  append(text: string): void {
    if (this.currentChars > 0 && this.currentChars + text.length > MAX_PIECE_CHARS) this.cut();
    this.current.push(text);
    this.currentChars += text.length;
  }

  /** The pieces, each one flat string, which concatenated are everything appended. */
  pieces(): string[] {
    if (this.current.length > 0 || this.done.length === 0) this.cut();
    return [...this.done];
  }

  private cut(): void {
    this.done.push(this.current.join(''));
    this.current = [];
    this.currentChars = 0;
  }
}

/** A body sent piece by piece, with the Content-Length of the whole (so the answer looks as it did when sent whole). */
export interface PiecewiseBody {
  readonly stream: Readable;
  readonly byteLength: number;
}

/**
 * What to send for text held in pieces: one string when it is small, else the pieces one after
 * another. Neither a string nor a buffer of the whole is ever made.
 */
export function bodyOfPieces(pieces: readonly string[]): string | PiecewiseBody {
  let chars = 0;
  for (const piece of pieces) chars += piece.length;
  if (chars < ONE_STRING_CHARS) return pieces.join('');
  // Strings, not buffers: the socket encodes each as it writes it, and buffers of the whole
  // answer's size, held outside V8's heap, made it collect garbage twice as often.
  let byteLength = 0;
  for (const piece of pieces) byteLength += Buffer.byteLength(piece);
  return { stream: Readable.from(pieces), byteLength };
}

/** Puts a piecewise body's Content-Length on the reply; what to hand Fastify (or Nest) to send. */
export function replyBody(reply: FastifyReply, body: string | PiecewiseBody): string | Readable {
  if (typeof body === 'string') return body;
  void reply.header('content-length', body.byteLength);
  return body.stream;
}
