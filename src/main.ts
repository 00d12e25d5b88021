import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

// The authorization code arrives in the address bar: take it, then remove it from the URL
// (and so from history and anything that reads location) before anything else runs.
let callbackQuery: string | null = null;
if (location.pathname === '/callback') {
  callbackQuery = location.search;
  history.replaceState(null, '', '/');
}

mount(App, { target: document.getElementById('app')!, props: { callbackQuery } });
