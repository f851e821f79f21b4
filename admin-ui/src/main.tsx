import '@wordpress/components/build-style/style.css';
import './style.css';
import { startLanguage } from './i18n.ts';

// The app's entry: the language first, then the screens — many build their labels when their
// module loads, so they are imported only once the translations are in. The screens come in a
// chunk of their own that never imports this entry back (vite.config.ts), so the entry runs once
// even when WordPress loads it with a ?ver= query.
const mount = document.getElementById('comeback-admin');
if (mount) {
  void startLanguage(Boolean(window.comebackAdmin))
    .then(() => import('./root.tsx'))
    .then(({ render }) => render(mount));
}
