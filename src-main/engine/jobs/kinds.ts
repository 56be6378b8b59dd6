import type { JobKind } from '../../api/types';
import { clusterJob, type ClusterParams } from '../clusters/job';
import { importJob, type ImportParams } from '../dataset/job';
import type { JobBody } from './runner';
import { exportJob, type ExportParams } from '../export/job';
import { masksJob, type MasksParams } from '../masks/job';
import { scoreJob, type ScoreParams } from '../score/job';
import { synthJob, type SynthParams } from '../synth/job';
import { propagateJob, type PropagateParams } from '../regions/job';
import type { ProjectSession } from '../session';

/**
 * Every job kind and how to build its body from stored parameters: one table, so starting and
 * resuming (after a cancel or a crash) cannot drift apart.
 */
export const jobKinds: { [K in JobKind]: (session: ProjectSession, params: Record<string, unknown>) => JobBody } = {
  import: (s, p) => importJob(s, p as unknown as ImportParams),
  cluster: (s, p) => clusterJob(s, p as unknown as ClusterParams),
  propagate: (s, p) => propagateJob(s, p as unknown as PropagateParams),
  masks: (s, p) => masksJob(s, p as unknown as MasksParams),
  synth: (s, p) => synthJob(s, p as unknown as SynthParams),
  score: (s, p) => scoreJob(s, p as unknown as ScoreParams),
  export: (s, p) => exportJob(s, p as unknown as ExportParams),
};
