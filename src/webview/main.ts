/** Webview entry: builds the dashboard into `#app` and says `ready` to the host. */
import { DashboardApp } from './app';
import { acquireHostChannel } from './vscodeApi';

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
new DashboardApp(acquireHostChannel(), root).start();
