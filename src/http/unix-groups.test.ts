import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unixGroupMembership } from './unix-groups.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'orc-groups-'));
  await writeFile(
    join(dir, 'group'),
    [
      '# comment',
      'root:x:0:',
      'dba:x:1001:alice,bob',
      'ops:x:1002:',
      'staff:x:1003:carol',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'passwd'),
    ['root:x:0:0:root:/root:/bin/bash', 'dave:x:1005:1002::/home/dave:/bin/sh'].join('\n'),
  );
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

void test('unix groups: membership by member list or by primary group', async () => {
  const inGroups = unixGroupMembership({
    groupFile: join(dir, 'group'),
    passwdFile: join(dir, 'passwd'),
  });
  const cases: [string, string[], boolean][] = [
    ['alice', ['dba'], true],
    ['bob', ['ops', 'dba'], true],
    ['carol', ['dba'], false],
    ['carol', ['staff'], true],
    ['dave', ['ops'], true],
    ['dave', ['dba'], false],
    ['mallory', ['dba', 'ops'], false],
    ['', ['dba'], false],
    ['alice', [], false],
    ['alice', ['nosuchgroup'], false],
    ['ali', ['dba'], false],
  ];
  for (const [user, groups, expected] of cases) {
    assert.equal(await inGroups(user, groups), expected, `${user} in ${groups.join(',')}`);
  }
});

void test('unix groups: a missing passwd file only loses primary-group membership', async () => {
  const inGroups = unixGroupMembership({
    groupFile: join(dir, 'group'),
    passwdFile: join(dir, 'no-passwd'),
  });
  assert.equal(await inGroups('alice', ['dba']), true);
  assert.equal(await inGroups('dave', ['ops']), false);
});

void test('unix groups: an unreadable group file rejects, for the caller to log', async () => {
  const inGroups = unixGroupMembership({ groupFile: join(dir, 'no-group') });
  await assert.rejects(inGroups('alice', ['dba']), /ENOENT/);
});
