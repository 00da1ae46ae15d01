/** The store's read side: what the status bar, the dashboard and the CLI ask for. */
import type { DashboardData, DashboardQuery, RecordsPage, RecordsQuery, Summary } from '../../shared/queries';
import type { TimeRange } from '../../shared/period';
import type { Db } from '../store/db';
import { checkRange } from './checkQuery';
import { dashboard } from './dashboard';
import { planRange } from './rangePlan';
import { records } from './records';
import { summaryOver } from './summary';

export class Queries {
  constructor(private readonly db: Db) {}

  summary(range: TimeRange): Summary {
    return summaryOver(this.db, planRange(checkRange(range)));
  }

  dashboard(query: DashboardQuery): DashboardData {
    if (typeof query !== 'object' || query === null) throw new Error('dashboard() expects a query object');
    return dashboard(this.db, query);
  }

  records(query: RecordsQuery): RecordsPage {
    if (typeof query !== 'object' || query === null) throw new Error('records() expects a query object');
    return records(this.db, query);
  }
}
