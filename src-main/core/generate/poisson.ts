/**
 * Poisson image editing (Pérez, Gangnet & Blake 2003). Inside a domain Ω the unknown f
 * solves the discrete Poisson equation Δf = div v (5-point Laplacian, h = 1) with the
 * Dirichlet condition f = f* on the pixels next to Ω (their Eq. 7); neighbours that fall
 * off the grid are dropped, which is a zero-flux (Neumann) condition at the image edge.
 * The system −Δ restricted to Ω is symmetric positive definite, so it is solved with
 * conjugate gradients to a relative residual ‖b − A f‖ / ‖b‖ ≤ tolerance, preconditioned by a
 * modified incomplete Cholesky factorisation, MIC(0) (Bridson, "Fluid Simulation for Computer
 * Graphics", 2nd ed., §5.4, with its τ = 0.97 and σ = 0.25): its iterations grow with the square
 * root of the domain's diameter where diagonal (Jacobi) scaling's grow with the diameter, so a
 * seam solve on a 1024² image takes a few dozen iterations instead of hundreds.
 */

export interface PoissonProblem {
  width: number;
  height: number;
  /** 1 where f is unknown (Ω), 0 where it is given by `boundary`. */
  domain: Uint8Array;
  /** div v at every pixel (only Ω's entries are read): Σ over the 4 neighbours q of v_pq. */
  guidanceDivergence: Float64Array;
  /** f* at every pixel (only the entries outside Ω are read). */
  boundary: Float64Array;
  /** Relative residual to reach; default 1e-5. */
  tolerance?: number;
  /** Default 10 000. */
  maxIterations?: number;
  /** Starting values for Ω (full grid); default 0. */
  initialGuess?: Float64Array;
}

export interface PoissonSolution {
  /** f on the whole grid: solved inside Ω, `boundary` elsewhere. */
  solution: Float64Array;
  iterations: number;
  /** Relative residual ‖b − A f‖ / ‖b‖ of the returned solution (0 when b = 0). */
  residual: number;
}

export const DEFAULT_POISSON_TOLERANCE = 1e-5;
const DEFAULT_MAX_ITERATIONS = 10_000;

/**
 * The sparse structure of −Δ on Ω. Unknowns are numbered 0..n−1; a neighbour that is not
 * an unknown (Dirichlet pixel or off the grid) points at slot n, which every work vector
 * keeps at 0, so the product needs no branch.
 */
interface System {
  pixel: Int32Array;
  /** 4 per unknown: left, right, up, down (slot n where that neighbour is not an unknown). */
  neighbour: Int32Array;
  diagonal: Float64Array;
  /** MIC(0) factor: 1 / the square root of each unknown's pivot, and 0 at slot n. */
  precon?: Float64Array;
}

const MIC_TAU = 0.97;
const MIC_SIGMA = 0.25;

/**
 * MIC(0) of −Δ on Ω. Unknowns are numbered in raster order, so an unknown's left and up
 * neighbours come before it: the factor's lower triangle holds exactly those couplings (−1),
 * and τ of the fill-in dropped along the next row is put back on the diagonal.
 */
function micPreconditioner(s: System): Float64Array {
  const { neighbour: nb, diagonal } = s;
  const n = diagonal.length;
  const p = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) {
    const a = diagonal[k];
    let e = a;
    const left = nb[4 * k];
    const up = nb[4 * k + 2];
    if (left < n) {
      const pl = p[left] * p[left];
      e -= pl;
      if (nb[4 * left + 3] < n) e -= MIC_TAU * pl;
    }
    if (up < n) {
      const pu = p[up] * p[up];
      e -= pu;
      if (nb[4 * up + 1] < n) e -= MIC_TAU * pu;
    }
    if (e < MIC_SIGMA * a) e = a;
    p[k] = 1 / Math.sqrt(e);
  }
  return p;
}

/** z = M⁻¹ r with M the MIC(0) factorisation: a forward then a backward sweep (q and z keep slot n at 0). */
function applyPreconditioner(s: System, p: Float64Array, r: Float64Array, q: Float64Array, z: Float64Array): void {
  const nb = s.neighbour;
  const n = s.diagonal.length;
  for (let k = 0, o = 0; k < n; k++, o += 4) {
    const left = nb[o];
    const up = nb[o + 2];
    q[k] = (r[k] + p[left] * q[left] + p[up] * q[up]) * p[k];
  }
  for (let k = n - 1, o = 4 * k; k >= 0; k--, o -= 4) {
    const pk = p[k];
    z[k] = (q[k] + pk * (z[nb[o + 1]] + z[nb[o + 3]])) * pk;
  }
}

function buildSystem(width: number, height: number, domain: Uint8Array): System {
  const number = new Int32Array(width * height).fill(-1);
  let n = 0;
  for (let i = 0; i < domain.length; i++) if (domain[i] !== 0) number[i] = n++;
  const pixel = new Int32Array(n);
  const neighbour = new Int32Array(4 * n).fill(n);
  const diagonal = new Float64Array(n);
  for (let i = 0; i < domain.length; i++) {
    const k = number[i];
    if (k < 0) continue;
    pixel[k] = i;
    const x = i % width;
    const y = (i - x) / width;
    const o = 4 * k;
    let deg = 0;
    if (x > 0 && (deg++, number[i - 1] >= 0)) neighbour[o] = number[i - 1];
    if (x < width - 1 && (deg++, number[i + 1] >= 0)) neighbour[o + 1] = number[i + 1];
    if (y > 0 && (deg++, number[i - width] >= 0)) neighbour[o + 2] = number[i - width];
    if (y < height - 1 && (deg++, number[i + width] >= 0)) neighbour[o + 3] = number[i + width];
    diagonal[k] = deg;
  }
  return { pixel, neighbour, diagonal };
}

/** out = A x; returns x · A x. */
function applyA(s: System, x: Float64Array, out: Float64Array): number {
  const { neighbour: nb, diagonal } = s;
  let xax = 0;
  for (let k = 0, o = 0; k < diagonal.length; k++, o += 4) {
    const v = diagonal[k] * x[k] - x[nb[o]] - x[nb[o + 1]] - x[nb[o + 2]] - x[nb[o + 3]];
    out[k] = v;
    xax += x[k] * v;
  }
  return xax;
}

/** Right-hand side b = −div v + Σ f* over each unknown's Dirichlet neighbours (from −Δf = −div v). */
function rightHandSide(s: System, p: PoissonProblem): Float64Array {
  const { width, height, domain, guidanceDivergence: div, boundary } = p;
  const n = s.pixel.length;
  const b = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = s.pixel[k];
    const x = i % width;
    const y = (i - x) / width;
    let v = -div[i];
    if (x > 0 && domain[i - 1] === 0) v += boundary[i - 1];
    if (x < width - 1 && domain[i + 1] === 0) v += boundary[i + 1];
    if (y > 0 && domain[i - width] === 0) v += boundary[i - width];
    if (y < height - 1 && domain[i + width] === 0) v += boundary[i + width];
    b[k] = v;
  }
  return b;
}

/** r = b − A x; returns ‖r‖. */
function residualOf(s: System, b: Float64Array, x: Float64Array, r: Float64Array, scratch: Float64Array): number {
  applyA(s, x, scratch);
  let rr = 0;
  for (let k = 0; k < b.length; k++) {
    r[k] = b[k] - scratch[k];
    rr += r[k] * r[k];
  }
  return Math.sqrt(rr);
}

function solveSystem(s: System, p: PoissonProblem): PoissonSolution {
  const tol = p.tolerance ?? DEFAULT_POISSON_TOLERANCE;
  const maxIt = p.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  const n = s.pixel.length;
  const solution = Float64Array.from(p.boundary);
  const b = rightHandSide(s, p);
  let bNorm = 0;
  for (let k = 0; k < n; k++) bNorm += b[k] * b[k];
  bNorm = Math.sqrt(bNorm);
  // Slot n of every vector is the zero that non-unknown neighbours read.
  const x = new Float64Array(n + 1);
  if (p.initialGuess && bNorm > 0) for (let k = 0; k < n; k++) x[k] = p.initialGuess[s.pixel[k]];
  const r = new Float64Array(n);
  const z = new Float64Array(n + 1);
  const q = new Float64Array(n + 1);
  const d = new Float64Array(n + 1);
  const ad = new Float64Array(n);
  const scale = bNorm === 0 ? 1 : bNorm;
  s.precon ??= micPreconditioner(s);
  const precon = s.precon;
  let rNorm = residualOf(s, b, x, r, ad);
  let iterations = 0;
  // The CG recurrence drifts from the true residual over long runs: restart from the
  // current iterate until the true residual is within tolerance.
  while (rNorm / scale > tol && iterations < maxIt) {
    applyPreconditioner(s, precon, r, q, z);
    let rz = 0;
    for (let k = 0; k < n; k++) {
      d[k] = z[k];
      rz += r[k] * z[k];
    }
    let recurrence = rNorm;
    while (iterations < maxIt && recurrence / scale > tol) {
      const dad = applyA(s, d, ad);
      if (!(dad > 0)) break;
      const alpha = rz / dad;
      let rr = 0;
      for (let k = 0; k < n; k++) {
        x[k] += alpha * d[k];
        const rk = r[k] - alpha * ad[k];
        r[k] = rk;
        rr += rk * rk;
      }
      iterations++;
      recurrence = Math.sqrt(rr);
      if (!(recurrence / scale > tol)) break;
      applyPreconditioner(s, precon, r, q, z);
      let rzNext = 0;
      for (let k = 0; k < n; k++) rzNext += r[k] * z[k];
      const beta = rzNext / rz;
      rz = rzNext;
      for (let k = 0; k < n; k++) d[k] = z[k] + beta * d[k];
    }
    const before = rNorm;
    rNorm = residualOf(s, b, x, r, ad);
    if (!(rNorm < before)) break;
  }
  for (let k = 0; k < n; k++) solution[s.pixel[k]] = x[k];
  return { solution, iterations, residual: rNorm / scale };
}

/** Solves Δf = div v on Ω with f = boundary outside Ω (see the module comment). */
export function solvePoisson(problem: PoissonProblem): PoissonSolution {
  return solveSystem(buildSystem(problem.width, problem.height, problem.domain), problem);
}

/** Multi-channel images for blending: `channels` interleaved values per pixel of a width × height grid. */
export interface BlendInput {
  width: number;
  height: number;
  channels: number;
  /** The pasted content g (e.g. the warped, colour-adapted exemplar). */
  source: Float64Array;
  /** The destination f* (the normal image). */
  target: Float64Array;
  /** Ω: pixels the solve may change. */
  domain: Uint8Array;
  tolerance?: number;
  maxIterations?: number;
}

export interface BlendResult {
  /** Interleaved like the inputs; `target` outside Ω. */
  image: Float64Array;
  /** Per channel: CG iterations and relative residual. */
  solves: { iterations: number; residual: number }[];
}

/** `mixed`: per neighbour pair, the stronger of the source's and the target's differences; else the source's. */
function blendChannels(input: BlendInput, fixed: Uint8Array | null, mixed: boolean): BlendResult {
  const { width, height, channels, source, target, domain } = input;
  const n = width * height;
  const unknown = new Uint8Array(n);
  for (let i = 0; i < n; i++) unknown[i] = domain[i] !== 0 && !(fixed && fixed[i] !== 0) ? 1 : 0;
  const system = buildSystem(width, height, unknown);
  const image = Float64Array.from(target);
  const solves: BlendResult['solves'] = [];
  const div = new Float64Array(n);
  const boundary = new Float64Array(n);
  const guess = new Float64Array(n);
  const src = new Float64Array(n);
  const tgt = new Float64Array(n);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < n; i++) {
      src[i] = source[i * channels + c];
      tgt[i] = target[i * channels + c];
      boundary[i] = fixed && fixed[i] !== 0 && domain[i] !== 0 ? src[i] : tgt[i];
    }
    div.fill(0);
    // Start from the source shifted by its mean mismatch with the Dirichlet pixels, which
    // is much closer to the solution than zero.
    let offset = 0;
    let count = 0;
    for (let k = 0; k < system.pixel.length; k++) {
      const i = system.pixel[k];
      const x = i % width;
      const y = (i - x) / width;
      let v = 0;
      for (let j = 0; j < 4; j++) {
        const qi = j === 0 ? (x > 0 ? i - 1 : -1) : j === 1 ? (x < width - 1 ? i + 1 : -1) : j === 2 ? (y > 0 ? i - width : -1) : y < height - 1 ? i + width : -1;
        if (qi < 0) continue;
        const ds = src[qi] - src[i];
        const dt = tgt[qi] - tgt[i];
        // Pérez Eq. (13): the destination's difference only where it is strictly stronger.
        v += mixed && Math.abs(dt) > Math.abs(ds) ? dt : ds;
        if (unknown[qi] === 0) {
          offset += boundary[qi] - src[qi];
          count++;
        }
      }
      div[i] = v;
    }
    offset = count > 0 ? offset / count : 0;
    for (let i = 0; i < n; i++) guess[i] = src[i] + offset;
    const res = solveSystem(system, {
      width,
      height,
      domain: unknown,
      guidanceDivergence: div,
      boundary,
      tolerance: input.tolerance,
      maxIterations: input.maxIterations,
      initialGuess: guess,
    });
    for (let i = 0; i < n; i++) if (domain[i] !== 0) image[i * channels + c] = res.solution[i];
    solves.push({ iterations: res.iterations, residual: res.residual });
  }
  return { image, solves };
}

/**
 * Seamless cloning with mixed gradients inside Ω, Dirichlet boundary = target. Thin or
 * translucent marks keep whichever texture is stronger, theirs or the surface's.
 */
export function blendMixed(input: BlendInput): BlendResult {
  return blendChannels(input, null, true);
}

/** Plain seamless cloning (Pérez Eq. 11): the source's differences only. */
export function blendSeamless(input: BlendInput): BlendResult {
  return blendChannels(input, null, false);
}

/**
 * Opaque pasting: pixels of `core` keep the source exactly; only Ω minus the core (the
 * seam band) is solved, with mixed gradients and the core and the target as Dirichlet data.
 */
export function blendOpaque(input: BlendInput & { core: Uint8Array }): BlendResult {
  const res = blendChannels(input, input.core, true);
  const { channels } = input;
  for (let i = 0; i < input.width * input.height; i++) {
    if (input.core[i] === 0 || input.domain[i] === 0) continue;
    for (let c = 0; c < channels; c++) res.image[i * channels + c] = input.source[i * channels + c];
  }
  return res;
}

/**
 * The membrane (harmonic) fill of the pixels where `known` is 0: Δf = 0 there with f = values on
 * the known pixels next to them (Pérez's seamless cloning with zero guidance). The smoothest
 * surface through a hole's rim; it depends only on that rim, so the same hole in the same
 * surface gets the same fill whatever crop it is solved on.
 */
export function membraneFill(values: Float64Array, width: number, height: number, channels: number, known: Uint8Array): Float64Array {
  const n = width * height;
  const unknown = new Uint8Array(n);
  let any = false;
  for (let i = 0; i < n; i++) if (known[i] === 0) (unknown[i] = 1), (any = true);
  const out = Float64Array.from(values);
  if (!any) return out;
  const system = buildSystem(width, height, unknown);
  const boundary = new Float64Array(n);
  const zero = new Float64Array(n);
  const guess = new Float64Array(n);
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      boundary[i] = values[i * channels + c];
      if (!unknown[i]) (sum += boundary[i]), count++;
    }
    guess.fill(count > 0 ? sum / count : 0);
    const res = solveSystem(system, { width, height, domain: unknown, guidanceDivergence: zero, boundary, tolerance: 1e-4, initialGuess: guess });
    for (let k = 0; k < system.pixel.length; k++) out[system.pixel[k] * channels + c] = res.solution[system.pixel[k]];
  }
  return out;
}
