import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadDatabaseOptions } from './src/config/load-config.js';
import { buildDataSourceOptions } from './src/database/data-source-options.js';

/** The DataSource the TypeORM CLI uses (`npm run migration:run`), from `DATABASE_URL`. */
export default new DataSource(buildDataSourceOptions(loadDatabaseOptions(process.env)));
