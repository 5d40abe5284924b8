/** The configuration's types live in the domain (its checks and policies read them); re-exported for the edges. */
export * from './domain/config-types';
