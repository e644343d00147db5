import { Injectable, signal } from '@angular/core';

/** A point or bookmark picked as the first side of a comparison, with what to call it. */
export interface CompareSide {
  /** A bookmark's or point's id (the API takes either). */
  id: string;
  label: string;
}

/**
 * "Compare from here" on one timeline point, then "Compare with …" on another: the first pick
 * is kept here (for the session of the page), so it survives selecting the second.
 */
@Injectable({ providedIn: 'root' })
export class CompareSelection {
  readonly from = signal<CompareSide | null>(null);
}
