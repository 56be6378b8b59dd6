import { describe, expect, it } from 'vitest';
import { ApiError, eventNames, events, requestNames, requests, imageRefPath, isEventName, jobKindNames, parseArgs, parseImageRefPath, parseJobParams } from '../../../src-main/api/contract';

describe('the contract', () => {
  it('rejects unknown fields and names the bad field', () => {
    expect(() => parseArgs('project.open', { dir: '/x', extra: 1 })).toThrow(ApiError);
    expect(() => parseArgs('project.open', { dir: '' })).toThrow(/dir: a path is required/);
  });
  it('fills defaults for paging', () => {
    expect(parseArgs('dataset.errors', {})).toEqual({ offset: 0, limit: 200 });
  });
  it('round-trips image refs and refuses anything else', () => {
    expect(parseImageRefPath(imageRefPath({ kind: 'mask', maskId: 7 }))).toEqual({ kind: 'mask', maskId: 7 });
    expect(parseImageRefPath('thumb/12')).toEqual({ kind: 'thumb', imageId: 12 });
    expect(imageRefPath({ kind: 'sampleMask', id: 9 })).toBe('sample-mask/9');
    expect(parseImageRefPath('sample-mask/9')).toEqual({ kind: 'sampleMask', id: 9 });
    for (const bad of ['../etc/passwd', 'image/0', 'image/12/..', 'image/-1', 'file/1', 'image/1a', '']) {
      expect(parseImageRefPath(bad)).toBeNull();
    }
  });
  it('lists for the preload exactly the requests the contract declares', () => {
    expect([...requestNames].sort()).toEqual(Object.keys(requests).sort());
  });
  it('names every declared event, and nothing else', () => {
    expect(eventNames).toEqual(Object.keys(events));
    expect([...eventNames].sort()).toEqual(['job.finished', 'job.progress', 'packs.installProgress', 'project.changed']);
    expect(isEventName('project.changed')).toBe(true);
    expect(isEventName('toString')).toBe(false);
  });
  it('has a parameter schema for every job kind, and parses stored parameters again', () => {
    expect([...jobKindNames].sort()).toEqual(['cluster', 'export', 'import', 'masks', 'propagate', 'score', 'synth', 'value']);
    // A score job stored before patchFraction existed still resumes.
    const score = { categoryId: 1, epochs: 2, batchImages: 1, maxTrainImages: 4, seed: 0, keep: 3 };
    expect(parseJobParams('score', score)).toEqual(score);
    expect(() => parseJobParams('import', { source: '/data', layout: 'tarball' })).toThrow(/import job parameters .*layout/);
    expect(() => parseJobParams('masks', { categoryId: 1, count: 3, seed: 0 })).toThrow(ApiError);
  });
});
