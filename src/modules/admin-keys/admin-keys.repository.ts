import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { ROSTER_DATA_SOURCE } from '../../config/injection-tokens.js';
import { AdminKeyEntity } from '../../database/entities/admin-key.entity.js';
import type { IsoTimestamp } from '../../database/timestamps.js';

/** Admin keys are not a tenant's: they belong to the service's operators (a key may be bound to one tenant). */
@Injectable()
export class AdminKeysRepository {
  constructor(@InjectRepository(AdminKeyEntity, ROSTER_DATA_SOURCE) private readonly rows: Repository<AdminKeyEntity>) {}

  async insert(key: AdminKeyEntity): Promise<void> {
    await this.rows.insert(key);
  }

  list(): Promise<AdminKeyEntity[]> {
    return this.rows.find({ order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findLiveByHash(keyHash: string): Promise<AdminKeyEntity | null> {
    return this.rows.findOneBy({ keyHash, revokedAt: IsNull() });
  }

  /** Whether a live key was revoked now. */
  async revoke(id: string, at: IsoTimestamp): Promise<boolean> {
    const result = await this.rows.update({ id, revokedAt: IsNull() }, { revokedAt: at });
    return (result.affected ?? 0) > 0;
  }
}
