import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata } from '@nestjs/common';
import { ROSTER_OPTIONS, SCIM_BASE_URL } from './config/injection-tokens.js';
import type { RosterOptions } from './config/roster-options.js';
import { SCIM_PREFIX } from './http/roster-paths.js';

/** How a host app hands Roster its options when it computes them (RosterModule.forRootAsync). */
export interface RosterAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly inject?: FactoryProvider['inject'];
  readonly useFactory: FactoryProvider<RosterOptions | Promise<RosterOptions>>['useFactory'];
}

const scimBaseUrl: FactoryProvider<string> = {
  provide: SCIM_BASE_URL,
  inject: [ROSTER_OPTIONS],
  useFactory: (options: RosterOptions) => options.publicUrl + SCIM_PREFIX,
};

/**
 * Holds the RosterOptions provider on its own, so that the TypeORM module (which Roster
 * imports) can inject the options too, and the SCIM base URL derived from them once.
 */
@Module({})
export class RosterOptionsModule {
  static fromValue(options: RosterOptions): DynamicModule {
    return { module: RosterOptionsModule, providers: [{ provide: ROSTER_OPTIONS, useValue: options }, scimBaseUrl], exports: [ROSTER_OPTIONS, SCIM_BASE_URL] };
  }

  static fromFactory(async: RosterAsyncOptions): DynamicModule {
    return {
      module: RosterOptionsModule,
      imports: async.imports ?? [],
      providers: [{ provide: ROSTER_OPTIONS, inject: async.inject ?? [], useFactory: async.useFactory }, scimBaseUrl],
      exports: [ROSTER_OPTIONS, SCIM_BASE_URL],
    };
  }
}
