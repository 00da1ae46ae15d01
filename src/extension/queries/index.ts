/** The store's read side: what the status bar, the dashboard and the CLI ask for. */
import type { DashboardData, DashboardQuery, RecordsPage, RecordsQuery, Summary, SummaryQuery } from '../../shared/queries';
import type { TimeRange } from '../../shared/period';
import { createPricer, type Pricer } from '../pricing';
import type { Db } from '../store/db';
import type { SplitMemo } from './cacheAccounting';
import { checkRange } from './checkQuery';
import { dashboard } from './dashboard';
import type { FactFilter } from './facts';
import { checkProjects, projectIdsIn } from './projectScope';
import { planFor } from './rangePlan';
import { records } from './records';
import { summaryOver } from './summary';

export class Queries {
  private fallbackPricer: Pricer | null = null;
  private readonly splits: SplitMemo = new Map();

  /**
   * `pricer` (optional) returns the pricer the store prices with, so the cache accounting splits costs by the same
   * rates (including the user's overrides); without it the built-in price table is used.
   */
  constructor(
    private readonly db: Db,
    private readonly pricer?: () => Pricer | null | undefined,
  ) {}

  /** Accepts a plain range or a SummaryQuery (a range plus `projects`). */
  summary(query: TimeRange | SummaryQuery): Summary {
    if (typeof query !== 'object' || query === null) throw new Error('summary() expects a range { from, to }');
    const range = checkRange(query);
    const scope = this.scope((query as SummaryQuery).projects);
    return summaryOver(this.db, range, planFor(range, [], scope), scope);
  }

  dashboard(query: DashboardQuery): DashboardData {
    if (typeof query !== 'object' || query === null) throw new Error('dashboard() expects a query object');
    return dashboard(this.db, query, this.scope(query.projects), this.currentPricer(), this.splits);
  }

  records(query: RecordsQuery): RecordsPage {
    if (typeof query !== 'object' || query === null) throw new Error('records() expects a query object');
    return records(this.db, query, this.scope(query.projects));
  }

  /** The project scope as a filter on calls (resolved against the small projects table on every query). */
  private scope(projects: unknown): FactFilter {
    const folders = checkProjects(projects);
    return folders === null ? {} : { projectIdsJson: JSON.stringify(projectIdsIn(this.db, folders)) };
  }

  private currentPricer(): Pricer | null {
    const given = this.pricer?.();
    if (given) return given;
    this.fallbackPricer ??= createPricer(undefined).pricer;
    return this.fallbackPricer;
  }
}
