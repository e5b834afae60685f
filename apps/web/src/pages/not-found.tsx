import { Link } from 'react-router';

export default function NotFound() {
  return (
    <main className="page" id="main">
      <div className="empty">
        <h1>Page not found</h1>
        <p>That address does not match any page.</p>
        <Link className="btn primary" to="/">
          Go home
        </Link>
      </div>
    </main>
  );
}
