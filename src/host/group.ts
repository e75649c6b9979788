/** /etc/group (group(5)): groups with gid and member list. */
import { NUMERIC_ID, memberList, parseColonFile, type AccountFile } from './colon-file.js';

export const GROUP_PATH = '/etc/group';

export interface GroupEntry {
  name: string;
  password: string;
  gid: number;
  members: string[];
  line: number;
}

export function parseGroup(text: string, path = GROUP_PATH): AccountFile<GroupEntry> {
  return parseColonFile(text, path, 4, (f, line) => {
    if (!NUMERIC_ID.test(f[2]!)) return 'gid must be a number';
    return { name: f[0]!, password: f[1]!, gid: Number(f[2]), members: memberList(f[3]), line };
  });
}
