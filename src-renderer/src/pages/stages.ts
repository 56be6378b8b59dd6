/**
 * The METHOD.md stages as navigation entries. A stage appears here only once its screen
 * exists; adding one is one line (Clusters, Regions, Masks, Synthesis, Review, Export).
 */
import type { ComponentType } from 'react';
import { ClustersPage } from './ClustersPage';
import { DatasetPage } from './DatasetPage';
import { ExportPage } from './ExportPage';
import { ReviewPage } from './ReviewPage';
import { RegionsPage } from './RegionsPage';
import { MasksPage } from './MasksPage';
import { SynthesisPage } from './SynthesisPage';

export interface Stage {
  id: string;
  label: string;
  /** Shortcut: Alt + this key. */
  key: string;
  screen: ComponentType;
}

export const stages: Stage[] = [
  { id: 'dataset', label: 'Dataset', key: '1', screen: DatasetPage },
  { id: 'clusters', label: 'Clusters', key: '2', screen: ClustersPage },
  { id: 'regions', label: 'Regions', key: '3', screen: RegionsPage },
  { id: 'masks', label: 'Masks', key: '4', screen: MasksPage },
  { id: 'synthesis', label: 'Synthesis', key: '5', screen: SynthesisPage },
  { id: 'review', label: 'Review', key: '6', screen: ReviewPage },
  { id: 'export', label: 'Export', key: '7', screen: ExportPage },
];
