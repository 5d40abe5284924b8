import { describe, expect, it } from 'vitest';
import { parseAlibabaTime, secretNameFromArn } from '../../shared/events';

describe('parseAlibabaTime', () => {
  it.each([
    ['20180816T135935.689+0800', Date.UTC(2018, 7, 16, 5, 59, 35, 689)],
    ['20171013T170923.456+0800', Date.UTC(2017, 9, 13, 9, 9, 23, 456)],
    ['2020-11-19T21:04:42.179PRC', Date.UTC(2020, 10, 19, 13, 4, 42, 179)],
    ['2020-08-17T16:04:46.149Asia/Shanghai', Date.UTC(2020, 7, 17, 8, 4, 46, 149)],
    ['2022-10-22T21:52:00Z', Date.UTC(2022, 9, 22, 21, 52, 0)],
    ['2020-11-19T21:04:41+08:00', Date.UTC(2020, 10, 19, 13, 4, 41)],
    ['2020-02-21T23:36:07.713703651+08:00', Date.UTC(2020, 1, 21, 15, 36, 7, 713)],
    ['2023-12-26T07:49:00Z', Date.UTC(2023, 11, 26, 7, 49, 0)],
    ['2021-03-01T00:00:00-05:30', Date.UTC(2021, 2, 1, 5, 30, 0)],
    ['1552199984000', 1552199984000],
  ])('reads %s', (text, expected) => {
    expect(parseAlibabaTime(text)).toBe(expected);
  });

  it('reads epoch milliseconds given as a number', () => {
    expect(parseAlibabaTime(1552199984000)).toBe(1552199984000);
  });

  it.each([
    ['a time without a zone, which could be UTC or Beijing', '2020-11-19T21:04:42'],
    ['an unknown zone name', '2020-11-19T21:04:42Mars/Olympus'],
    ['February 30th', '2021-02-30T00:00:00Z'],
    ['hour 24', '2021-02-01T24:00:00Z'],
    ['an empty string', ''],
    ['a date only', '2021-02-01'],
    ['words', 'yesterday'],
  ])('refuses %s', (_why, text) => {
    expect(parseAlibabaTime(text)).toBeUndefined();
  });

  it('refuses values that are not text or numbers', () => {
    expect(parseAlibabaTime(null)).toBeUndefined();
    expect(parseAlibabaTime({})).toBeUndefined();
    expect(parseAlibabaTime(Number.NaN)).toBeUndefined();
  });
});

describe('secretNameFromArn', () => {
  it('takes the name from a secret ARN, slashes included', () => {
    expect(secretNameFromArn('acs:kms:cn-hangzhou:1234567890:secret/acs/ram/user/alice')).toBe('acs/ram/user/alice');
  });

  it('returns a plain name unchanged', () => {
    expect(secretNameFromArn('db_prod')).toBe('db_prod');
  });
});
