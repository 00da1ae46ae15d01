/**
 * The "All / This workspace" scope: which one is chosen (kept per workspace, so each window remembers its own), and
 * the open workspace's folders that "This workspace" stands for. Claude Code records each call's cwd, so a call made
 * in a folder of this workspace, or below one, belongs to it.
 */
import * as vscode from 'vscode';
import type { WorkspaceInfo } from '../../shared/protocol';
import { isScope, type Scope } from '../../shared/queries';
import { SCOPE_STATE_KEY } from '../commands';
import { Disposable } from '../util/disposable';

export class WorkspaceScope extends Disposable {
  constructor(
    private readonly memento: vscode.Memento,
    private readonly onChange: () => void,
  ) {
    super();
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.onChange()));
  }

  get scope(): Scope {
    const stored = this.memento.get<unknown>(SCOPE_STATE_KEY);
    return isScope(stored) ? stored : 'all';
  }

  async set(scope: Scope): Promise<void> {
    if (scope === this.scope) return;
    await this.memento.update(SCOPE_STATE_KEY, scope);
    this.onChange();
  }

  /** Local paths of the open folders (virtual file systems have no cwd a call could come from). */
  folders(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  info(): WorkspaceInfo {
    const folders = this.folders();
    return { name: folders.length > 0 ? (vscode.workspace.name ?? path(folders[0])) : null, folders: folders.length };
  }

  /** What the store's `projects` filter gets: the folders when scoped, else null (every call). */
  projects(): string[] | null {
    return this.scope === 'workspace' ? this.folders() : null;
  }
}

function path(p: string): string {
  return p.split(/[\\/]/).filter(Boolean).pop() ?? p;
}
