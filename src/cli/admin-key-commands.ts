import type { Command } from 'commander';
import { printResult, type Output } from './print-result.js';
import type { ServicesFactory } from './run-cli.js';

/** `admin-key create|list|revoke`: scoped admin keys (DESIGN.md), offline. */
export function addAdminKeyCommands(program: Command, services: ServicesFactory, output: Output, json: () => boolean): void {
  const adminKey = program.command('admin-key').description('scoped admin API keys');
  adminKey
    .command('create')
    .requiredOption('--name <name>', 'who holds it')
    .requiredOption('--scopes <list>', 'comma-separated: admin:read, admin:write, access:read')
    .option('--tenant <idOrSlug>', 'bind the key to this tenant')
    .action(async (flags: { name: string; scopes: string; tenant?: string }) => {
      const { tenants, adminKeys } = await services();
      const tenantId = flags.tenant === undefined ? null : (await tenants.resolve(flags.tenant)).id;
      const minted = await adminKeys.mint({ name: flags.name, scopes: flags.scopes.split(',').map((scope) => scope.trim()), tenantId });
      printResult(output, json(), minted, `admin key ${minted.id}\nkey: ${minted.key}  (shown once)`);
    });
  adminKey.command('list').action(async () => {
    const keys = await (await services()).adminKeys.list();
    printResult(output, json(), keys, keys.map((key) => `${key.id}  ${key.scopes.join(',')}  ${key.tenantId ?? '*'}  ${key.name}${key.revokedAt ? '  (revoked)' : ''}`).join('\n'));
  });
  adminKey
    .command('revoke')
    .requiredOption('--id <id>', 'admin key id')
    .action(async (flags: { id: string }) => {
      await (await services()).adminKeys.revoke(flags.id);
      printResult(output, json(), { revoked: flags.id }, `admin key ${flags.id} revoked`);
    });
}
