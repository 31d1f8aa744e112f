// Stands in for the browser build in the API tests: the server starts only when the files its
// pages name are in the site directory.
