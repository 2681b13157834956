import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { loadServiceConfig, type Environment } from '../config/load-config.js';
import { ConnectionsService } from '../modules/connections/connections.service.js';
import { AdminKeysService } from '../modules/admin-keys/admin-keys.service.js';
import { LibrariesService } from '../modules/libraries/libraries.service.js';
import { asTenantId } from '../domain/tenant-id.js';
import { TenantsService } from '../modules/tenants/tenants.service.js';
import { RosterModule } from '../roster.module.js';
import { ScimError } from '../scim/errors.js';
import { addAdminKeyCommands } from './admin-key-commands.js';
import { addLibraryCommands } from './library-commands.js';
import { printResult, type Output } from './print-result.js';

interface GlobalFlags {
  json?: boolean;
}

/**
 * The offline admin CLI (`npm run cli -- …`): the tenant, connection and library operations of
 * the admin API, straight against DATABASE_URL, so an operator can bootstrap a fresh install without the
 * admin token. Returns the exit code.
 */
export async function runCli(argv: readonly string[], env: Environment, output: Output): Promise<number> {
  let context: INestApplicationContext | undefined;
  const services = async () => {
    const { options } = loadServiceConfig(env);
    // A CLI process lives for one command: it must not take delivery leases it would drop at once.
    context ??= await NestFactory.createApplicationContext(RosterModule.forRoot({ ...options, webhooks: { ...options.webhooks, deliver: false } }), {
      logger: false,
      abortOnError: false,
    });
    return { tenants: context.get(TenantsService), connections: context.get(ConnectionsService), libraries: context.get(LibrariesService), adminKeys: context.get(AdminKeysService) };
  };
  const program = buildProgram(services, output);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ConfigError || error instanceof ScimError) {
      output.error(`roster: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await context?.close();
  }
}

export type ServicesFactory = () => Promise<{ tenants: TenantsService; connections: ConnectionsService; libraries: LibrariesService; adminKeys: AdminKeysService }>;

function buildProgram(services: ServicesFactory, output: Output): Command {
  const program = new Command('roster')
    .exitOverride()
    .configureOutput({ writeOut: (text) => output.out(text.trimEnd()), writeErr: (text) => output.error(text.trimEnd()) })
    .option('--json', 'print JSON');
  const json = () => (program.opts<GlobalFlags>().json ?? false);

  const tenant = program.command('tenant').description('tenants');
  tenant
    .command('create')
    .requiredOption('--name <name>', 'display name')
    .option('--slug <slug>', 'URL-safe short name (default: from the name)')
    .option('--user-name-format <format>', 'any | email', 'any')
    .action(async (flags: { name: string; slug?: string; userNameFormat: string }) => {
      if (flags.userNameFormat !== 'any' && flags.userNameFormat !== 'email') {
        throw ScimError.invalidValue('--user-name-format must be "any" or "email"');
      }
      const created = await (await services()).tenants.create({
        name: flags.name,
        slug: flags.slug,
        settings: { userNameFormat: flags.userNameFormat },
      });
      printResult(output, json(), created, `tenant ${created.id} (${created.slug}) created`);
    });
  tenant.command('list').action(async () => {
    const tenants = await (await services()).tenants.list();
    printResult(output, json(), tenants, tenants.map((t) => `${t.id}  ${t.slug}  ${t.name}`).join('\n'));
  });

  const connection = program.command('connection').description('API connections');
  connection
    .command('create')
    .requiredOption('--tenant <idOrSlug>', 'tenant id or slug')
    .requiredOption('--name <name>', 'what connects, e.g. "Entra ID"')
    .option('--scopes <list>', 'comma-separated scopes', 'scim.read,scim.write')
    .option('--allow <cidr...>', 'IP allowlist entries (CIDRs); none = any address')
    .action(async (flags: { tenant: string; name: string; scopes: string; allow?: string[] }) => {
      const { tenants, connections } = await services();
      const target = await tenants.resolve(flags.tenant);
      const created = await connections.create(asTenantId(target.id), {
        name: flags.name,
        scopes: flags.scopes.split(',').map((scope) => scope.trim()),
        allowedCidrs: flags.allow,
      });
      printResult(output, json(), created, `connection ${created.id}\nclient_id:     ${created.clientId}\nclient_secret: ${created.clientSecret}  (shown once)`);
    });
  connection
    .command('list')
    .requiredOption('--tenant <idOrSlug>', 'tenant id or slug')
    .action(async (flags: { tenant: string }) => {
      const { tenants, connections } = await services();
      const list = await connections.list(asTenantId((await tenants.resolve(flags.tenant)).id));
      printResult(output, json(), list, list.map((c) => `${c.id}  ${c.clientId}  ${c.name}${c.revokedAt ? '  (revoked)' : ''}`).join('\n'));
    });
  connection
    .command('revoke')
    .requiredOption('--tenant <idOrSlug>', 'tenant id or slug')
    .requiredOption('--connection <id>', 'connection id')
    .action(async (flags: { tenant: string; connection: string }) => {
      const { tenants, connections } = await services();
      await connections.revoke(asTenantId((await tenants.resolve(flags.tenant)).id), flags.connection);
      printResult(output, json(), { revoked: flags.connection }, `connection ${flags.connection} revoked`);
    });

  program
    .command('token')
    .description('long-lived secret tokens')
    .command('mint')
    .requiredOption('--tenant <idOrSlug>', 'tenant id or slug')
    .requiredOption('--connection <id>', 'connection id')
    .option('--days <n>', 'expires after this many days (default: never)')
    .action(async (flags: { tenant: string; connection: string; days?: string }) => {
      const days = flags.days === undefined ? undefined : Number(flags.days);
      if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) {
        throw ScimError.invalidValue('--days must be a whole number from 1 to 3650');
      }
      const { tenants, connections } = await services();
      const minted = await connections.mintSecretToken(asTenantId((await tenants.resolve(flags.tenant)).id), flags.connection, days);
      const result = { id: minted.id, token: minted.token, expiresAt: minted.expiresAt };
      printResult(output, json(), result, `${minted.token}\n(shown once; expires ${minted.expiresAt ?? 'never'})`);
    });
  addLibraryCommands(program, services, output, json);
  addAdminKeyCommands(program, services, output, json);
  return program;
}
