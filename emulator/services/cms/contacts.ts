/**
 * Contacts and contact groups (alibaba-cloud-apis.md §5.3): Put* upsert by name, so bootstrap can run
 * twice; Describe* are the read-backs it compares against. A group naming an unknown contact is a
 * business failure: HTTP 200 with Success false (CloudMonitor's habit), not an HTTP error.
 */
import type { ApiRequest } from '../../types';
import { intParam, invalid, listOfStrings, mapOf, required } from './flat-params';
import { OK, type CmsStore } from './store';

const CHANNELS = ['Mail', 'SMS', 'DingWebHook', 'AliIM'] as const;

export function putContact(store: CmsStore, req: ApiRequest): Record<string, unknown> {
  const name = required(req.params, 'ContactName');
  const describe = required(req.params, 'Describe');
  const given = mapOf(req.params, 'Channels');
  const channels: Record<string, string> = {};
  for (const c of CHANNELS) if (given[c]) channels[c] = given[c];
  if (Object.keys(channels).length === 0)
    throw invalid(
      'A contact needs at least one channel (Channels.Mail, Channels.SMS, Channels.DingWebHook or Channels.AliIM).',
    );
  if (channels.Mail && !/^[^@\s]+@[^@\s]+$/.test(channels.Mail))
    throw invalid(`Channels.Mail "${channels.Mail}" is not an email address.`);
  if (channels.DingWebHook && !/^https?:\/\//.test(channels.DingWebHook))
    throw invalid('Channels.DingWebHook must be an http(s) URL.');
  const lang = req.params.Lang ?? 'zh-cn';
  if (lang !== 'zh-cn' && lang !== 'en') throw invalid('Lang must be zh-cn or en.');
  const prev = store.contacts.get(name);
  store.contacts.set(name, {
    Name: name,
    Desc: describe,
    Lang: lang,
    Channels: channels,
    CreateTime: prev?.CreateTime ?? req.receivedAt,
    UpdateTime: req.receivedAt,
  });
  return { ...OK };
}

export function putContactGroup(store: CmsStore, req: ApiRequest): Record<string, unknown> {
  const name = required(req.params, 'ContactGroupName');
  const contacts = listOfStrings(req.params, 'ContactNames');
  const unknown = contacts.filter((c) => !store.contacts.has(c));
  if (unknown.length > 0)
    return { Code: '404', Success: false, Message: `The contacts do not exist: ${unknown.join(', ')}.` };
  const prev = store.groups.get(name);
  store.groups.set(name, {
    Name: name,
    Describe: req.params.Describe ?? prev?.Describe ?? '',
    Contacts: contacts,
    EnableSubscribed: req.params.EnableSubscribed === 'true',
    CreateTime: prev?.CreateTime ?? req.receivedAt,
    UpdateTime: req.receivedAt,
  });
  return { ...OK };
}

function page<T>(items: T[], req: ApiRequest): T[] {
  const pageNumber = intParam(req.params, 'PageNumber', 1, 1, 1_000_000);
  const pageSize = intParam(req.params, 'PageSize', 100, 1, 1000);
  return items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
}

export function describeContactList(store: CmsStore, req: ApiRequest): Record<string, unknown> {
  const { ContactName, ChanelType, ChanelValue } = req.params;
  const found = [...store.contacts.values()].filter(
    (c) =>
      (!ContactName || c.Name === ContactName) &&
      (!ChanelType || c.Channels[ChanelType] !== undefined) &&
      (!ChanelValue || Object.values(c.Channels).includes(ChanelValue)),
  );
  const groupsOf = (name: string): string[] =>
    [...store.groups.values()].filter((g) => g.Contacts.includes(name)).map((g) => g.Name);
  return {
    ...OK,
    Total: found.length,
    Contacts: {
      Contact: page(found, req).map((c) => ({
        ...c,
        ChannelsState: Object.fromEntries(Object.keys(c.Channels).map((k) => [k, 'OK'])),
        ContactGroups: { ContactGroup: groupsOf(c.Name) },
      })),
    },
  };
}

export function describeContactGroupList(store: CmsStore, req: ApiRequest): Record<string, unknown> {
  const all = [...store.groups.values()];
  const shown = page(all, req);
  return {
    ...OK,
    Total: all.length,
    ContactGroups: { ContactGroup: shown.map((g) => g.Name) },
    ContactGroupList: {
      ContactGroup: shown.map((g) => ({
        Name: g.Name,
        Describe: g.Describe,
        EnableSubscribed: g.EnableSubscribed,
        EnabledWeeklyReport: false,
        CreateTime: g.CreateTime,
        UpdateTime: g.UpdateTime,
        Contacts: { Contact: g.Contacts },
      })),
    },
  };
}
