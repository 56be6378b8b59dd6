import type { GaaApi } from '../../src-main/api/contract';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser talking to the web host. */
    gaa?: GaaApi;
  }
}

export {};
