/** Model packs on disk: install from a folder or zip (staged, validated, renamed into place), list, load, remove. */
export { installPack, listPacks, loadPack, removePack, type PackListing } from './install';
export { validatePackDir } from './validate';
