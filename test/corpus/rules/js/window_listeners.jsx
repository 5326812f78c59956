import React from 'react';

export class Sidebar extends React.Component {
  componentDidMount() {
    window.addEventListener('resize', this.onResize); // expect: handler-not-cleared
  }

  onResize = () => {
    this.setState({ width: window.innerWidth });
  };

  render() {
    return <div />;
  }
}

export class Header extends React.Component {
  componentDidMount() {
    window.addEventListener('scroll', this.onScroll);
  }

  componentWillUnmount() {
    window.removeEventListener('scroll', this.onScroll);
  }

  onScroll = () => {
    this.setState({ y: window.scrollY });
  };

  render() {
    return <div />;
  }
}

export class Chart extends React.Component {
  componentDidMount() {
    window.addEventListener('resize', () => this.handleResize()); // expect: handler-not-cleared
  }

  componentWillUnmount() {
    window.removeEventListener('resize', () => this.handleResize());
  }

  handleResize() {
    this.setState({ width: window.innerWidth });
  }

  render() {
    return <div />;
  }
}

// Removes its own 'resize' handler: that leaves Sidebar's (line 5) in place.
export class Footer extends React.Component {
  componentDidMount() {
    window.addEventListener('resize', this.onFooterResize);
  }

  componentWillUnmount() {
    window.removeEventListener('resize', this.onFooterResize);
  }

  onFooterResize = () => {
    this.setState({ width: window.innerWidth });
  };

  render() {
    return <div />;
  }
}
