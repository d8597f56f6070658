// nbody workload, Node.js implementation: the classic 5-body simulation of
// the Jovian planets (Sun, Jupiter, Saturn, Uranus, Neptune) with a simple
// symplectic-Euler step over every pair of bodies.
//
// The kernel builds the system and returns the energy before and after
// `size` steps of DT as two numbers with 9 decimals separated by one space.
"use strict";

const { main } = require("../../protocol/node/protocol.js");

// Units are astronomical units, years and solar masses, so G * M_sun = 4 pi^2.
const SOLAR_MASS = 4 * Math.PI * Math.PI;
// The initial velocities below are given in AU per day.
const DAYS_PER_YEAR = 365.24;
// Time step of one simulation step, in years.
const DT = 0.01;

// One body: position, velocity and mass (mass already multiplied by G).
class Body {
  constructor(x, y, z, vx, vy, vz, mass) {
    this.x = x;
    this.y = y;
    this.z = z;
    this.vx = vx;
    this.vy = vy;
    this.vz = vz;
    this.mass = mass;
  }
}

// A planet from the standard initial conditions, converting velocities from
// AU/day to AU/year and masses from solar masses to G-scaled units.
function planet(pos, vel, mass) {
  return new Body(
    pos[0],
    pos[1],
    pos[2],
    vel[0] * DAYS_PER_YEAR,
    vel[1] * DAYS_PER_YEAR,
    vel[2] * DAYS_PER_YEAR,
    mass * SOLAR_MASS,
  );
}

// The five bodies with the standard initial conditions, Sun first and at
// rest. The literals are the published initial conditions, digit for digit,
// written the same way in all four implementations.
function initialBodies() {
  return [
    // Sun
    new Body(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS),
    // Jupiter
    planet(
      [4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01],
      [1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05],
      9.54791938424326609e-04,
    ),
    // Saturn
    planet(
      [8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01],
      [-2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05],
      2.85885980666130812e-04,
    ),
    // Uranus
    planet(
      [1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01],
      [2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05],
      4.36624404335156298e-05,
    ),
    // Neptune
    planet(
      [1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01],
      [2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05],
      5.15138902046611451e-05,
    ),
  ];
}

// Gives the Sun the velocity that makes the total momentum zero, so the
// centre of mass stays put.
function offsetMomentum(bodies) {
  let px = 0.0;
  let py = 0.0;
  let pz = 0.0;
  for (const b of bodies) {
    px += b.vx * b.mass;
    py += b.vy * b.mass;
    pz += b.vz * b.mass;
  }
  const sun = bodies[0];
  sun.vx = -px / SOLAR_MASS;
  sun.vy = -py / SOLAR_MASS;
  sun.vz = -pz / SOLAR_MASS;
}

// Total energy: kinetic energy of every body minus the potential of every pair.
function energy(bodies) {
  let e = 0.0;
  const n = bodies.length;
  for (let i = 0; i < n; i++) {
    const bi = bodies[i];
    e += 0.5 * bi.mass * (bi.vx * bi.vx + bi.vy * bi.vy + bi.vz * bi.vz);
    for (let j = i + 1; j < n; j++) {
      const bj = bodies[j];
      const dx = bi.x - bj.x;
      const dy = bi.y - bj.y;
      const dz = bi.z - bj.z;
      e -= bi.mass * bj.mass / Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

// One time step: update velocities from the force of every pair, then move
// every body along its new velocity.
function advance(bodies, dt) {
  const n = bodies.length;
  for (let i = 0; i < n; i++) {
    const bi = bodies[i];
    for (let j = i + 1; j < n; j++) {
      const bj = bodies[j];
      const dx = bi.x - bj.x;
      const dy = bi.y - bj.y;
      const dz = bi.z - bj.z;
      const d2 = dx * dx + dy * dy + dz * dz;
      const mag = dt / (d2 * Math.sqrt(d2));
      const mj = bj.mass * mag;
      bi.vx -= dx * mj;
      bi.vy -= dy * mj;
      bi.vz -= dz * mj;
      const mi = bi.mass * mag;
      bj.vx += dx * mi;
      bj.vy += dy * mi;
      bj.vz += dz * mi;
    }
  }
  for (const b of bodies) {
    b.x += dt * b.vx;
    b.y += dt * b.vy;
    b.z += dt * b.vz;
  }
}

// Formats the energies before and after as the canonical result.
function formatResult(e0, e1) {
  return `${e0.toFixed(9)} ${e1.toFixed(9)}`;
}

// The workload kernel: fresh system, energy, `size` steps, energy again.
function kernel(size) {
  const bodies = initialBodies();
  offsetMomentum(bodies);
  const e0 = energy(bodies);
  for (let i = 0; i < size; i++) {
    advance(bodies, DT);
  }
  const e1 = energy(bodies);
  return formatResult(e0, e1);
}

main(kernel);
