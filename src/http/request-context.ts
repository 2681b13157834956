import { AsyncLocalStorage } from 'node:async_hooks';

/** Who made a change: an API connection (SCIM), the admin API, or the offline CLI. */
export interface Actor {
  readonly type: 'connection' | 'admin' | 'cli';
  readonly id: string;
}

/** What the write path records about the request it serves (events, audit). */
export interface RequestContext {
  readonly requestId: string;
  readonly actor: Actor;
  readonly clientIp: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `work` with `context` as the current request's, for everything it awaits. */
export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** The request being served; outside any request (the CLI) an actor of its own. */
export function currentRequestContext(): RequestContext {
  return storage.getStore() ?? { requestId: '', actor: { type: 'cli', id: 'cli' }, clientIp: null };
}
