// Starts dynalite (an independent DynamoDB implementation, Apache-2.0) in memory on a free port of 127.0.0.1 and
// prints "PORT <n>" on one line, for the Java differential tests. Exits when its stdin closes (the JVM went away).
'use strict'
const dynalite = require('dynalite')

// createTableMs/deleteTableMs/updateTableMs 0: tables are ACTIVE at once, as the engine under test makes them.
const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
server.listen(0, '127.0.0.1', () => {
  process.stdout.write('PORT ' + server.address().port + '\n')
})
process.stdin.resume()
process.stdin.on('end', () => process.exit(0))
process.stdin.on('close', () => process.exit(0))
