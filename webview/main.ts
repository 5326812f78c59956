// Entry of the webview bundle (dist/webview.js, dist/webview.css).
import './styles.css';
import { PROTOCOL_VERSION } from '../src/core/protocol';
import { PanelApp } from './app';
import { connectToHost } from './vscodeApi';

function boot(): void {
  const root = document.getElementById('leakscope-panel');
  if (!root) throw new Error('leakscope: #leakscope-panel is missing from the page');
  root.dataset.protocol = String(PROTOCOL_VERSION);
  const app = new PanelApp(root, connectToHost());
  window.addEventListener('message', (event: MessageEvent<unknown>) => app.receive(event.data));
  window.addEventListener('unload', () => app.dispose());
  app.start();
}

boot();
