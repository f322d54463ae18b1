define([], function () {
  return { onload: function () {} };
});
