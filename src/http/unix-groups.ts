/**
 * Unix group membership for `PowerAuthGroups`, read from the local files rather than NSS: a user
 * is a member of a group when /etc/group lists them in it, or when it is their primary group in
 * /etc/passwd. Users and groups that only LDAP/SSSD know are therefore not seen; orchestrator
 * asked the C library, which does see them. The files are read on every call (mutations are
 * rare), so edits take effect at once.
 */
import { readFile } from 'node:fs/promises';

/** Whether `user` belongs to at least one of `groups`. Rejects when the files cannot be read. */
export type GroupMembership = (user: string, groups: readonly string[]) => Promise<boolean>;

/** Where the account databases live; tests point these at fixtures. */
export interface GroupFiles {
  groupFile?: string;
  passwdFile?: string;
}

/** A membership lookup over the local account files (default /etc/group and /etc/passwd). */
export function unixGroupMembership(files: GroupFiles = {}): GroupMembership {
  const groupFile = files.groupFile ?? '/etc/group';
  const passwdFile = files.passwdFile ?? '/etc/passwd';

  return async (user, groups) => {
    if (user === '' || groups.length === 0) return false;
    const [groupText, passwdText] = await Promise.all([
      readFile(groupFile, 'utf8'),
      readOptional(passwdFile),
    ]);
    const primaryGid = primaryGroupId(passwdText, user);
    const wanted = new Set(groups);

    return lines(groupText).some((fields) => {
      const [name = '', , gid = '', members = ''] = fields;
      if (!wanted.has(name)) return false;
      return gid === primaryGid || members.split(',').includes(user);
    });
  };
}

function primaryGroupId(passwdText: string, user: string): string | null {
  const entry = lines(passwdText).find((fields) => fields[0] === user);
  return entry?.[3] ?? null;
}

function lines(text: string): string[][] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}
