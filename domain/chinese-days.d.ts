// The package's UMD build, which both Node and the workflow bundle's webpack load (its ES build is a
// .js file in a "type": "commonjs" package, which webpack refuses to parse as a module).
declare module 'chinese-days/dist/index.min.js' {
  import chineseDays from 'chinese-days';
  export default chineseDays;
}
