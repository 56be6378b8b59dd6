/** Model packs on disk: install from a folder or zip (staged, validated, renamed into place), list, load, remove. */
export {
  DEFAULT_MAX_PACK_BYTES,
  installPack,
  listPacks,
  loadPack,
  packStaging,
  removePack,
  sweepPackStagings,
  PACK_STAGING_MARKER,
  type InstallOptions,
  type PackInstallProgress,
  type PackListing,
} from './install';
export { validatePackDir } from './validate';
