import type { JobParams } from '../../api/jobs';
import type { JobKind, JobResults } from '../../api/types';
import { clusterJob } from '../clusters/job';
import { importJob } from '../dataset/job';
import { exportJob } from '../export/job';
import { masksJob } from '../masks/job';
import { propagateJob } from '../regions/job';
import { scoreJob } from '../score/job';
import type { ProjectSession } from '../session';
import { synthJob } from '../synth/job';
import { valueJob } from '../value/job';
import type { JobBody } from './runner';

/** Builds the body of a job of kind K from its parameters, as parsed by the contract's schema for K. */
export type JobBuilder<K extends JobKind> = (session: ProjectSession, params: JobParams<K>) => JobBody<JobResults[K]>;

/**
 * Every job kind and how to build its body from its parameters: one table, so starting and
 * resuming (after a cancel or a crash) cannot drift apart. The contract's `jobs` map gives
 * each kind's parameter schema and result type; this gives its code.
 */
export const jobKinds: { [K in JobKind]: JobBuilder<K> } = {
  import: importJob,
  cluster: clusterJob,
  propagate: propagateJob,
  masks: masksJob,
  synth: synthJob,
  score: scoreJob,
  export: exportJob,
  value: valueJob,
};
