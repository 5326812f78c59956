import { useEffect, useState } from 'react';
import debounce from 'lodash/debounce';

// The cleanup removes a different function than the effect added: the added one stays.
export function Toolbar() {
  const [compact, setCompact] = useState(false);
  useEffect(() => {
    const measure = () => setCompact(window.innerWidth < 600);
    const onResize = debounce(measure, 100);
    window.addEventListener('resize', onResize); // expect: handler-not-cleared
    return () => {
      onResize.cancel();
      window.removeEventListener('resize', measure);
    };
  }, []);
  return <div className={compact ? 'compact' : ''} />;
}

// addEventListener returns undefined: removing its "result" removes nothing.
export function BackToTop() {
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const onScroll = () => setVisible(window.scrollY > 400);
    const subscription = window.addEventListener('scroll', onScroll); // expect: handler-not-cleared
    return () => window.removeEventListener('scroll', subscription);
  }, []);
  return visible ? <button /> : null;
}

// A function made inside the effect, added with no cleanup at all: a new one per mount.
export function KeyboardHints() {
  const [key, setKey] = useState('');
  useEffect(() => {
    function onKey(event) {
      setKey(event.key);
    }
    document.addEventListener('keydown', onKey); // expect: handler-not-cleared
  }, []);
  return <kbd>{key}</kbd>;
}

// Look-alike: the cleanup removes the very function that was added.
export function StickyHeader() {
  const [stuck, setStuck] = useState(false);
  useEffect(() => {
    const onScroll = debounce(() => setStuck(window.scrollY > 80), 50);
    window.addEventListener('scroll', onScroll);
    return () => {
      onScroll.cancel();
      window.removeEventListener('scroll', onScroll);
    };
  }, []);
  return <header className={stuck ? 'stuck' : ''} />;
}

// Look-alike: a module-level function added again is the same function; the DOM keeps one.
function logVisibility() {
  console.log(document.visibilityState);
}

export function VisibilityLogger() {
  useEffect(() => {
    document.addEventListener('visibilitychange', logVisibility);
  }, []);
  return null;
}
