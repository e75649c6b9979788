/** osquery's parent_directory(path) (sqlite_filesystem.cpp): the text before the last '/', NULL without one. */
import type Database from 'better-sqlite3';
import { argCString, DETERMINISTIC, type SqlArg } from './values.js';

export function registerFilesystemFunctions(db: Database.Database): void {
  db.function('parent_directory', DETERMINISTIC, (v: SqlArg) => {
    if (typeof v !== 'string') throw new Error('Invalid inputs to parent_directory, TEXT was expected');
    const path = argCString(v)!;
    const slash = path.lastIndexOf('/');
    return slash < 0 ? null : path.slice(0, slash);
  });
}
