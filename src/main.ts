import { createRosterApp } from './app.js';
import { ConfigError } from './config/config-error.js';
import { loadServiceConfig, type ServiceConfig } from './config/load-config.js';
import { closeOnSignals } from './http/graceful-shutdown.js';
import { createRosterLogger } from './logging/roster-logger.js';

function readConfig(): ServiceConfig {
  try {
    return loadServiceConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`roster: configuration error: ${error.message}\n`);
    process.exit(1);
  }
}

const config = readConfig();
const logger = createRosterLogger(config.options.logLevel);
const app = await createRosterApp(config.options, logger);
closeOnSignals(app, config.shutdownGraceSeconds, logger);
await app.listen(config.port, config.host);
logger.info(`listening on ${config.host}:${config.port}; public URL ${config.options.publicUrl}`);
