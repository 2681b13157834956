import { pino, type DestinationStream } from 'pino';

/** Lines buffered past this many bytes are written at once, before the turn ends (sonic-boom's minLength; it must stay under its 16 KB maxWrite). */
const WRITE_AT_BYTES = 8 * 1024;

let shared: DestinationStream | undefined;

/**
 * Standard output for log lines, written once per event-loop turn. pino's default destination
 * hands each line (or the few that queued meanwhile) to libuv's thread pool to write: at `info`
 * that cost a logged GET about 10 µs of system time and more of user time, 3–29 % of its CPU
 * (issue 15, alternating pairs). Here the lines of one turn go out together at its end
 * (setImmediate), so a busy replica makes one write for the answers of a turn while an idle one
 * still shows each line at once; the lines still held when the process exits (the end of a
 * graceful shutdown, process.exit after a fatal error) are written on `exit`. sonic-boom, pino's
 * own destination, does the writing (partial writes, EAGAIN, EPIPE); its own minLength and
 * periodicFlush hold lines by size or by interval, which would leave a quiet server's lines
 * unwritten for a while, hence the turn. The writes are synchronous: a stdout nobody reads any
 * more holds the loop once its pipe is full, where the asynchronous default grew its buffer
 * without bound instead (container runtimes drain stdout into a file). One per process: every
 * logger writing to stdout shares it, so lines keep their order and one `exit` listener serves
 * them all.
 */
export function turnBufferedStdout(): DestinationStream {
  if (shared !== undefined) return shared;
  const stream = pino.destination({ dest: 1, sync: true, minLength: WRITE_AT_BYTES });
  let flushScheduled = false;
  const flushTurn = () => {
    flushScheduled = false;
    stream.flush();
  };
  process.once('exit', () => stream.flushSync());
  shared = {
    write(line: string) {
      stream.write(line);
      if (flushScheduled) return;
      flushScheduled = true;
      setImmediate(flushTurn);
    },
  };
  return shared;
}
