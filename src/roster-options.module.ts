import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata } from '@nestjs/common';
import { ROSTER_OPTIONS } from './config/injection-tokens.js';
import type { RosterOptions } from './config/roster-options.js';

/** How a host app hands Roster its options when it computes them (RosterModule.forRootAsync). */
export interface RosterAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly inject?: FactoryProvider['inject'];
  readonly useFactory: FactoryProvider<RosterOptions | Promise<RosterOptions>>['useFactory'];
}

/**
 * Holds the RosterOptions provider on its own, so that the TypeORM module (which Roster
 * imports) can inject the options too.
 */
@Module({})
export class RosterOptionsModule {
  static fromValue(options: RosterOptions): DynamicModule {
    return { module: RosterOptionsModule, providers: [{ provide: ROSTER_OPTIONS, useValue: options }], exports: [ROSTER_OPTIONS] };
  }

  static fromFactory(async: RosterAsyncOptions): DynamicModule {
    return {
      module: RosterOptionsModule,
      imports: async.imports ?? [],
      providers: [{ provide: ROSTER_OPTIONS, inject: async.inject ?? [], useFactory: async.useFactory }],
      exports: [ROSTER_OPTIONS],
    };
  }
}
