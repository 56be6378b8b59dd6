import { describe, expect, it } from 'vitest';
import { ApiError, imageRefPath, parseArgs, parseImageRefPath } from '../../../src-main/api/contract';

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
    for (const bad of ['../etc/passwd', 'image/0', 'image/12/..', 'image/-1', 'file/1', 'image/1a', '']) {
      expect(parseImageRefPath(bad)).toBeNull();
    }
  });
});
