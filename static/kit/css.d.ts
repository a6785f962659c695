/** CSS files are bundled by esbuild into each app's app.css. */
declare module '*.css';
