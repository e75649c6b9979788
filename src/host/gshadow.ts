/** /etc/gshadow (gshadow(5)): group passwords, administrators and members. */
import { memberList, parseColonFile, type AccountFile } from './colon-file.js';

export const GSHADOW_PATH = '/etc/gshadow';

export interface GshadowEntry {
  name: string;
  /** the group password field, with the same states as a shadow hash (see passwordState) */
  password: string;
  admins: string[];
  members: string[];
  line: number;
}

export function parseGshadow(text: string, path = GSHADOW_PATH): AccountFile<GshadowEntry> {
  return parseColonFile(text, path, 4, (f, line) => ({ name: f[0]!, password: f[1]!, admins: memberList(f[2]), members: memberList(f[3]), line }));
}
