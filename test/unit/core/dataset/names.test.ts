import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extensionOf, isImageName, naturalCompare, stemOf } from '../../../../src-main/core/dataset/names';

const NAMES = ['a.png', 'A.PNG', 'x.tar.gz', 'noext', '.hidden', '.hidden.png', '..png', '..', '...', 'a.', 'a..b', 'über.jpeg', '003_mask.png'];

describe('file-name rules', () => {
  it('splits extension and stem of bare names exactly as node:path does', () => {
    for (const name of NAMES) {
      expect([name, extensionOf(name)]).toEqual([name, path.posix.extname(name)]);
      expect([name, stemOf(name)]).toEqual([name, path.posix.basename(name, path.posix.extname(name))]);
      expect([name, extensionOf(name)]).toEqual([name, path.win32.extname(name)]);
    }
  });

  it('takes visible files with an image extension, in any case, as images', () => {
    expect(NAMES.filter(isImageName)).toEqual(['a.png', 'A.PNG', 'über.jpeg', '003_mask.png']);
  });

  it('orders names naturally: 2 before 10, case-insensitively', () => {
    expect(['10.png', 'b.png', '2.png', 'A.png'].sort(naturalCompare)).toEqual(['2.png', '10.png', 'A.png', 'b.png']);
  });
});
