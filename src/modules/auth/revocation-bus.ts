import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT } from '../../database/redis.provider.js';

/** What was revoked: a connection (and so its tokens), one secret token, or an admin key. */
export interface Revocation {
  readonly kind: 'connection' | 'token' | 'adminKey';
  readonly id: string;
}

const CHANNEL = 'roster:revocations';

/**
 * Tells every replica at once that a credential was revoked (DESIGN.md: within a second, with
 * Redis), so each drops what it cached of it instead of waiting for its cache to expire. Without
 * Redis, or while Redis is down, the replica that revoked forgets at once and the others within
 * their cache bound (30 s).
 */
@Injectable()
export class RevocationBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Revocations');
  private readonly listeners: ((revocation: Revocation) => void)[] = [];
  private subscriber: Redis | undefined;

  constructor(@Optional() @Inject(REDIS_CLIENT) private readonly redis?: Redis | null) {}

  async onModuleInit(): Promise<void> {
    if (!this.redis) return;
    // A subscribed connection can do nothing else, so it is a connection of its own.
    this.subscriber = this.redis.duplicate();
    this.subscriber.on('error', (error: Error & { code?: string }) => this.logger.warn(`Redis subscriber: ${error.code ?? error.name}`));
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== CHANNEL) return;
      const revocation = parse(message);
      if (revocation !== undefined) this.deliver(revocation);
    });
    await this.subscriber.subscribe(CHANNEL).catch((error: unknown) => this.logger.warn(`Redis subscribe failed: ${String(error)}`));
  }

  onApplicationShutdown(): void {
    this.subscriber?.disconnect(false);
  }

  onRevocation(listener: (revocation: Revocation) => void): void {
    this.listeners.push(listener);
  }

  /** Forgets here at once, and tells the other replicas. */
  publish(revocation: Revocation): void {
    this.deliver(revocation);
    this.redis?.publish(CHANNEL, JSON.stringify(revocation)).catch((error: unknown) => this.logger.warn(`Redis publish failed: ${String(error)}`));
  }

  private deliver(revocation: Revocation): void {
    for (const listener of this.listeners) listener(revocation);
  }
}

function parse(message: string): Revocation | undefined {
  try {
    const value = JSON.parse(message) as Partial<Revocation>;
    const kinds: readonly string[] = ['connection', 'token', 'adminKey'];
    return typeof value.id === 'string' && typeof value.kind === 'string' && kinds.includes(value.kind) ? (value as Revocation) : undefined;
  } catch {
    return undefined;
  }
}
