/**
 * osquery's SQL functions, registered on every database the engine opens, with osquery's
 * names, arities and results (read from osquery's osquery/sql/sqlite_*.cpp), so pack queries
 * that use them run unchanged. Where osquery's function and a SQLite built-in share a name
 * (log, ceil, floor, concat, concat_ws, the trigonometry), osquery's behaviour replaces the
 * built-in. Not provided: the VERSION* collations (better-sqlite3 cannot register one) and
 * find_file_path_in_cmd / is_path_deterministic (they probe the live filesystem).
 */
import type Database from 'better-sqlite3';
import { registerEncodingFunctions } from './encoding.js';
import { registerFilesystemFunctions } from './filesystem.js';
import { registerHashingFunctions } from './hashing.js';
import { registerMathFunctions } from './math.js';
import { registerNetworkFunctions } from './network.js';
import { registerOperationFunctions } from './operations.js';
import { registerStringFunctions } from './strings.js';
import { registerVersionFunctions } from './version.js';

export function registerOsqueryFunctions(db: Database.Database): void {
  registerVersionFunctions(db);
  registerMathFunctions(db);
  registerStringFunctions(db);
  registerOperationFunctions(db);
  registerFilesystemFunctions(db);
  registerHashingFunctions(db);
  registerEncodingFunctions(db);
  registerNetworkFunctions(db);
}
