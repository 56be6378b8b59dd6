/**
 * A dense per-pixel anomaly score (higher = more anomalous), row-major.
 * Produced by the scorer (core/score) and by any localisation model under evaluation.
 */
export interface ScoreMap {
  width: number;
  height: number;
  data: Float32Array;
}
