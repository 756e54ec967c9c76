import type { Upcaster } from '../src/index.js';

/**
 * The history the tests read and migrate: `UserCreated` (v1, `full_name`) was renamed to
 * `user.registered`, whose v1 had one `name`, v2 split it, v3 added a locale. Current at 3.
 */
export const userRegisteredUpcasters: Upcaster[] = [
  {
    type: 'UserCreated',
    fromVersion: 1,
    toType: 'user.registered',
    toVersion: 1,
    upcast: ({ full_name }: { full_name: string }) => ({ name: full_name }),
  },
  {
    type: 'user.registered',
    fromVersion: 1,
    upcast: ({ name }: { name: string }) => {
      const [first, ...rest] = name.split(' ');
      return { first, last: rest.join(' ') };
    },
  },
  {
    type: 'user.registered',
    fromVersion: 2,
    upcast: (data: { first: string; last: string }) => ({ ...data, locale: 'en' }),
  },
];
