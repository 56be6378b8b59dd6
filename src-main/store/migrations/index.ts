import { migration001 } from './001-initial';
import { migration002 } from './002-clusters';
import { migration003 } from './003-regions-masks';
import { migration004 } from './004-samples';
import { migration005 } from './005-cluster-ids';
import { migration006 } from './006-pair-alignment';
import { migration007 } from './007-mask-provenance';
import { migration008 } from './008-pair-visibility';

export interface Migration {
  version: number;
  name: string;
  /** SQL run inside one transaction together with the `user_version` bump. */
  up: string;
}

/** Numbers only go up; a migration is never edited once released, a new one is added. */
export const migrations: Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008];

export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1].version;
