import { describe, expect, it } from 'vitest';
import { matchesPattern, validatePattern } from '../../emulator/services/eventbridge';

const event = {
  id: 'e-1',
  source: 'acs.kms',
  type: 'kms:ActionTrail:ApiCall',
  subject: 'acs.kms:cn-hangzhou:123:secret/prod/orders-db',
  aliyunregionid: 'cn-hangzhou',
  data: {
    eventName: 'RotateSecret',
    acsRegion: 'cn-hangzhou',
    attempts: 3,
    sourceIpAddress: '10.0.0.17',
    tags: ['prod', 'rds'],
    userIdentity: { type: 'assumed-role', accountId: '123' },
    errorCode: null,
  },
};

const cases: Array<[string, unknown, boolean]> = [
  ['an exact value', { source: ['acs.kms'] }, true],
  ['an exact value that differs', { source: ['acs.oss'] }, false],
  ['a list of values is OR', { source: ['acs.oss', 'acs.kms'] }, true],
  ['keys are AND: one fails', { source: ['acs.kms'], type: ['kms:CloudMonitor:Secret[RotateSecret:Failure]'] }, false],
  ['keys are AND: all hold', { source: ['acs.kms'], type: ['kms:ActionTrail:ApiCall'] }, true],
  ['prefix', { type: [{ prefix: 'kms:' }] }, true],
  ['prefix that does not start the value', { type: [{ prefix: 'oss:' }] }, false],
  ['suffix', { type: [{ suffix: ':ActionTrail:ApiCall' }] }, true],
  ['suffix that does not end the value', { type: [{ suffix: ':ConsoleOperation' }] }, false],
  ['contains', { subject: [{ contains: 'secret/prod/' }] }, true],
  ['contains that is absent', { subject: [{ contains: 'secret/dev/' }] }, false],
  ['anything-but a value', { data: { eventName: [{ 'anything-but': 'DeleteSecret' }] } }, true],
  ['anything-but the value itself', { data: { eventName: [{ 'anything-but': 'RotateSecret' }] } }, false],
  ['anything-but a list', { data: { eventName: [{ 'anything-but': ['RotateSecret', 'PutSecretValue'] }] } }, false],
  ['anything-but a prefix', { data: { eventName: [{ 'anything-but': { prefix: 'Delete' } }] } }, true],
  ['anything-but a prefix that matches', { data: { eventName: [{ 'anything-but': { prefix: 'Rotate' } }] } }, false],
  ['anything-but a suffix that matches', { data: { eventName: [{ 'anything-but': { suffix: 'Secret' } }] } }, false],
  ['anything-but on a missing field', { data: { missing: [{ 'anything-but': 'x' }] } }, false],
  ['exists true on a present field', { data: { acsRegion: [{ exists: true }] } }, true],
  ['exists true on a missing field', { data: { missing: [{ exists: true }] } }, false],
  ['exists false on a missing field', { data: { missing: [{ exists: false }] } }, true],
  ['exists false on a present field', { data: { acsRegion: [{ exists: false }] } }, false],
  ['numeric range holds', { data: { attempts: [{ numeric: ['>', 0, '<=', 5] }] } }, true],
  ['numeric range fails', { data: { attempts: [{ numeric: ['>', 3] }] } }, false],
  ['numeric equality', { data: { attempts: [{ numeric: ['=', 3] }] } }, true],
  ['numeric on a string field', { source: [{ numeric: ['>', 0] }] }, false],
  ['cidr inside', { data: { sourceIpAddress: [{ cidr: '10.0.0.0/24' }] } }, true],
  ['cidr outside', { data: { sourceIpAddress: [{ cidr: '10.0.1.0/24' }] } }, false],
  ['nested objects recurse', { data: { userIdentity: { type: ['assumed-role'] } } }, true],
  ['nested objects recurse and fail', { data: { userIdentity: { type: ['ram-user'] } } }, false],
  ['a nested pattern on a missing object', { data: { nothing: { type: ['x'] } } }, false],
  ['an array field matches when any element does', { data: { tags: ['rds'] } }, true],
  ['an array field with no matching element', { data: { tags: ['redis'] } }, false],
  ['an operator applies to array elements', { data: { tags: [{ prefix: 'pr' }] } }, true],
  ['null matches a null field', { data: { errorCode: [null] } }, true],
  ['a list mixing values and operators is OR', { type: ['nope', { suffix: 'ApiCall' }] }, true],
  ['an empty pattern matches everything', {}, true],
];

describe('EventBridge pattern matching', () => {
  it.each(cases)('%s', (_name, pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });

  it('matches the filter the product uses for KMS API calls', () => {
    const pattern = {
      source: ['acs.kms'],
      type: [{ suffix: ':ActionTrail:ApiCall' }],
      data: { eventName: ['RotateSecret', 'DeleteSecret'] },
    };
    expect(matchesPattern(pattern, event)).toBe(true);
    expect(matchesPattern(pattern, { ...event, data: { ...event.data, eventName: 'GetSecretValue' } })).toBe(false);
  });
});

describe('EventBridge pattern validation', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['a non-object pattern', ['acs.kms'], /must be a JSON object/],
    ['a bare leaf value', { source: 'acs.kms' }, /\$\.source: a leaf must be an array/],
    ['an unknown operator', { source: [{ startsWith: 'acs.' }] }, /unknown operator/],
    ['a prefix that is not a string', { source: [{ prefix: 1 }] }, /"prefix" takes a string/],
    ['exists with a string', { source: [{ exists: 'yes' }] }, /"exists" takes true or false/],
    ['numeric with a bad operator', { n: [{ numeric: ['>>', 1] }] }, /numeric/],
    ['numeric with an odd length', { n: [{ numeric: ['>', 1, '<'] }] }, /numeric/],
    ['a malformed cidr', { ip: [{ cidr: '10.0.0/33' }] }, /cidr/],
    ['anything-but with an object it does not know', { s: [{ 'anything-but': { contains: 'x' } }] }, /anything-but/],
    ['a problem deep inside', { data: { userIdentity: { type: [{ wat: 1 }] } } }, /\$\.data\.userIdentity\.type\[0\]/],
  ];
  it.each(bad)('rejects %s with a clear message', (_name, pattern, message) => {
    expect(() => validatePattern(pattern)).toThrow(message);
  });

  it('accepts every documented operator', () => {
    expect(() =>
      validatePattern({
        a: ['x', 1, true, null],
        b: [{ prefix: 'p' }, { suffix: 's' }, { contains: 'c' }, { exists: false }],
        c: [{ 'anything-but': 'x' }, { 'anything-but': [1, 2] }, { 'anything-but': { prefix: 'x' } }],
        d: [{ numeric: ['>=', 0, '<', 10] }, { cidr: '192.168.0.0/16' }],
      }),
    ).not.toThrow();
  });
});
