/**
 * Adam with L2 weight decay added to the gradient (torch.optim.Adam's `weight_decay`),
 * one instance per parameter group so the adaptor and discriminator keep their own rates.
 */
export interface AdamSettings {
  lr: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
}

export class Adam {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;

  constructor(private readonly params: Float64Array[], private readonly s: AdamSettings) {
    this.m = params.map((p) => new Float64Array(p.length));
    this.v = params.map((p) => new Float64Array(p.length));
  }

  step(grads: Float64Array[]): void {
    this.t++;
    const { lr, weightDecay, beta1, beta2, eps } = this.s;
    const c1 = 1 - Math.pow(beta1, this.t);
    const c2 = 1 - Math.pow(beta2, this.t);
    for (let b = 0; b < this.params.length; b++) {
      const p = this.params[b];
      const g = grads[b];
      const m = this.m[b];
      const v = this.v[b];
      for (let i = 0; i < p.length; i++) {
        const gi = g[i] + weightDecay * p[i];
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    }
  }
}
