import type { Command } from 'commander';
import { asTenantId } from '../domain/tenant-id.js';
import { printResult, type Output } from './print-result.js';
import type { ServicesFactory } from './run-cli.js';

/** `library create|list|delete`: the admin API's library operations, offline. */
export function addLibraryCommands(program: Command, services: ServicesFactory, output: Output, json: () => boolean): void {
  const library = program.command('library').description('content libraries');
  library
    .command('create')
    .requiredOption('--tenant <idOrSlug>', 'tenant id or slug')
    .requiredOption('--name <displayName>', 'display name, unique in the tenant')
    .option('--description <text>', 'what the library holds')
    .option('--external-id <id>', "the platform's own id for it")
    .action(async (flags: { tenant: string; name: string; description?: string; externalId?: string }) => {
      const { tenants, libraries } = await services();
      const created = await libraries.create(asTenantId((await tenants.resolve(flags.tenant)).id), {
        displayName: flags.name,
        description: flags.description,
        externalId: flags.externalId,
      });
      printResult(output, json(), created, `library ${created.id} (${created.displayName}) created`);
    });
  library
    .command('list')
    .requiredOption('--tenant <idOrSlug>', 'tenant id or slug')
    .action(async (flags: { tenant: string }) => {
      const { tenants, libraries } = await services();
      const list = await libraries.listViews(asTenantId((await tenants.resolve(flags.tenant)).id));
      printResult(output, json(), list, list.map((l) => `${l.id}  ${l.displayName}`).join('\n'));
    });
  library
    .command('delete')
    .requiredOption('--tenant <idOrSlug>', 'tenant id or slug')
    .requiredOption('--library <id>', 'library id')
    .action(async (flags: { tenant: string; library: string }) => {
      const { tenants, libraries } = await services();
      await libraries.delete(asTenantId((await tenants.resolve(flags.tenant)).id), flags.library);
      printResult(output, json(), { deleted: flags.library }, `library ${flags.library} deleted, with every grant of it`);
    });
}
